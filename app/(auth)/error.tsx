"use client";

import { ErrorState } from "@/components/ui/error-state";

export default function AuthError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="w-full max-w-sm">
      <ErrorState title="This page failed to load" message={error.digest ? `Reference ${error.digest}` : error.message} onRetry={reset} />
    </div>
  );
}
