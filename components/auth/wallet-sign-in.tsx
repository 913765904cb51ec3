"use client";

import { useEffect, useState } from "react";
import { apiRequest } from "../api/client";
import { WalletIcon } from "../icons";
import { Button } from "../ui/button";
import { hasInjectedWallet } from "./wallet-detect";

export interface WalletSignInProps {
  pending: boolean;
  disabled: boolean;
  onStart: () => void;
  onSuccess: () => void;
  onError: (error: unknown) => void;
}

/** Sign-In With Ethereum through the browser's injected wallet; a hint when there is none. */
export function WalletSignIn({ pending, disabled, onStart, onSuccess, onError }: WalletSignInProps) {
  // Unknown until mounted: window.ethereum does not exist during server rendering.
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => setAvailable(hasInjectedWallet()), []);

  if (available === null) return <div className="h-12" aria-hidden="true" />;
  if (!available) {
    return (
      <p className="rounded-lg border border-dashed border-border-strong px-3 py-3 text-center text-sm text-fg-muted">
        To sign in with an Ethereum wallet, open this page in a browser with a wallet extension installed.
      </p>
    );
  }

  async function signIn() {
    onStart();
    try {
      // wagmi and the SIWE helpers load only when someone actually signs in with a wallet.
      const [{ signInWithWallet }, { connectInjectedWallet, signWithInjectedWallet }] = await Promise.all([
        import("./wallet-flow"),
        import("./injected-wallet"),
      ]);
      await signInWithWallet({
        request: apiRequest,
        connect: connectInjectedWallet,
        signMessage: signWithInjectedWallet,
        location: { host: window.location.host, origin: window.location.origin },
      });
      onSuccess();
    } catch (error) {
      onError(error);
    }
  }

  return (
    <Button variant="secondary" size="lg" className="w-full" onClick={signIn} loading={pending} disabled={disabled} icon={<WalletIcon className="size-5" />}>
      Sign in with wallet
    </Button>
  );
}
