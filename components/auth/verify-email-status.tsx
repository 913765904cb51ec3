"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { apiRequest } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import { AlertIcon, CheckCircleIcon } from "../icons";
import { buttonClasses } from "../ui/button";
import { Spinner } from "../ui/spinner";
import { AuthCard } from "./auth-card";

function verificationFailure(error: unknown): string {
  if (error instanceof ApiError && error.statusCode === 401) return "Sign in to the account this link was sent to, then open the link again.";
  if (error instanceof ApiError && error.statusCode === 403) return error.message;
  // Malformed, unknown, used and expired tokens all mean the same thing to the reader.
  if (error instanceof ApiError && [400, 404, 409, 410].includes(error.statusCode)) {
    return "This verification link is invalid, was already used, or has expired. Open the newest e-mail we sent you.";
  }
  return describeError(error);
}

type State = { kind: "verifying" } | { kind: "verified" } | { kind: "failed"; message: string };

export function VerifyEmailStatus({ token }: { token: string | null }) {
  const [state, setState] = useState<State>(
    token ? { kind: "verifying" } : { kind: "failed", message: "This link has no verification token. Open the link from the email again." },
  );
  // Tokens are single-use: Strict Mode's double effect run must not spend it twice.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    apiRequest<{ verified: true }>("/api/v1/auth/verify-email", { method: "POST", body: { token } })
      .then(() => setState({ kind: "verified" }))
      .catch((error: unknown) => setState({ kind: "failed", message: verificationFailure(error) }));
  }, [token]);

  if (state.kind === "verifying") {
    return (
      <AuthCard title="Verifying your email">
        <p className="flex items-center gap-3 text-sm text-fg-muted">
          <Spinner /> Checking your link…
        </p>
      </AuthCard>
    );
  }
  if (state.kind === "verified") {
    return (
      <AuthCard title="Email verified">
        <div className="space-y-5">
          <p className="flex items-start gap-3 text-sm text-fg">
            <CheckCircleIcon className="size-5 shrink-0 text-accent" />
            Thanks — approval requests and security alerts will reach you here.
          </p>
          <Link href="/" className={buttonClasses("primary", "md", "w-full")}>
            Go to dashboard
          </Link>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="We could not verify your email">
      <div className="space-y-5">
        <p role="alert" className="flex items-start gap-3 text-sm text-danger-soft-fg">
          <AlertIcon className="size-5 shrink-0" />
          {state.message}
        </p>
        <Link href="/" className={buttonClasses("secondary", "md", "w-full")}>
          Back to dashboard
        </Link>
      </div>
    </AuthCard>
  );
}
