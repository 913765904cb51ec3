"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FingerprintIcon } from "../icons";
import { Button } from "../ui/button";
import { browserPasskeyDeps } from "./browser-ceremonies";
import { authErrorMessage } from "./error-message";
import { signInWithPasskey } from "./passkey-flows";
import { WalletSignIn } from "./wallet-sign-in";
import { AuthCard } from "./auth-card";

export function SignInPanel({ next }: { next: string }) {
  const router = useRouter();
  const [pending, setPending] = useState<"passkey" | "wallet" | null>(null);
  const [error, setError] = useState<string | null>(null);

  function finish() {
    router.replace(next);
    router.refresh();
  }

  async function withPasskey() {
    setPending("passkey");
    setError(null);
    try {
      await signInWithPasskey(browserPasskeyDeps);
      finish();
    } catch (caught) {
      setError(authErrorMessage(caught));
      setPending(null);
    }
  }

  return (
    <AuthCard
      title="Sign in to Countersign"
      description="Use the passkey on this device, or a security key. No passwords."
      footer={
        <>
          New to Countersign?{" "}
          <Link href="/sign-up" className="font-medium text-accent-soft-fg underline-offset-2 hover:underline">
            Create an account
          </Link>
        </>
      }
    >
      <div className="space-y-3">
        <Button size="lg" className="w-full" onClick={withPasskey} loading={pending === "passkey"} disabled={pending !== null} icon={<FingerprintIcon className="size-5" />}>
          Sign in with passkey
        </Button>
        <div className="flex items-center gap-3 py-1 text-xs text-fg-muted" aria-hidden="true">
          <span className="h-px flex-1 bg-border" />
          or
          <span className="h-px flex-1 bg-border" />
        </div>
        <WalletSignIn
          disabled={pending !== null}
          onStart={() => {
            setPending("wallet");
            setError(null);
          }}
          onSuccess={finish}
          onError={(caught) => {
            setError(authErrorMessage(caught));
            setPending(null);
          }}
          pending={pending === "wallet"}
        />
        {error ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            {error}
          </p>
        ) : null}
      </div>
    </AuthCard>
  );
}
