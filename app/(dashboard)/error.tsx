"use client";

import { ErrorState } from "@/components/ui/error-state";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <ErrorState
      title="This page failed to load"
      message={error.digest ? `The server reported an error (reference ${error.digest}).` : error.message}
      onRetry={reset}
    />
  );
}
