"use client";

import type { ReactNode } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { describeError } from "@/components/api/errors";
import { ErrorState } from "./error-state";
import { SkeletonBlock } from "./skeleton";

/**
 * The four states of a list or record read with react-query, in one place: a labelled skeleton while
 * loading, the error with a retry, `empty` when there is nothing (a list of length 0 unless `isEmpty`
 * says otherwise), else `children` with the data.
 */
export function QueryView<T>({
  query,
  loading,
  lines = 3,
  empty,
  isEmpty = (data) => Array.isArray(data) && data.length === 0,
  children,
}: {
  query: UseQueryResult<T>;
  /** The skeleton's accessible label, e.g. "Loading passkeys". */
  loading: string;
  lines?: number;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <SkeletonBlock lines={lines} label={loading} />;
  if (query.isError) return <ErrorState message={describeError(query.error)} onRetry={() => void query.refetch()} />;
  if (empty !== undefined && isEmpty(query.data)) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
