import { Skeleton } from "@/components/ui/skeleton";

export default function AgentLoading() {
  return (
    <div role="status" aria-label="Loading agent">
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-3 h-4 w-96 max-w-full" />
      <Skeleton className="mt-8 h-64" />
    </div>
  );
}
