import { Skeleton } from "@/components/ui/skeleton";

export default function SignerPoliciesLoading() {
  return (
    <div role="status" aria-label="Loading guardrails" className="space-y-4">
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <Skeleton className="h-40" />
      <Skeleton className="h-72" />
    </div>
  );
}
