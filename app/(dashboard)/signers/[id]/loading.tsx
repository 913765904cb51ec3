import { Skeleton } from "@/components/ui/skeleton";

export default function SignerLoading() {
  return (
    <div role="status" aria-label="Loading signer" className="space-y-4">
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-40" />
        <Skeleton className="h-40" />
      </div>
    </div>
  );
}
