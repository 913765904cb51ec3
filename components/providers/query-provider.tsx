"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "../api/errors";
import { isUnauthenticated } from "../api/client";
import { signInHref } from "../auth/next-path";

function sendToSignIn(error: unknown) {
  if (isUnauthenticated(error)) window.location.assign(signInHref(window.location.pathname + window.location.search));
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: sendToSignIn }),
    mutationCache: new MutationCache({ onError: sendToSignIn }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // Client errors (bad request, forbidden, not found) will not fix themselves on retry.
        retry: (failureCount, error) =>
          !(error instanceof ApiError && error.statusCode >= 400 && error.statusCode < 500) && failureCount < 2,
      },
    },
  });
}

export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
