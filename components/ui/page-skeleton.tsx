import { Skeleton } from "./skeleton";

/** A dashboard page while it loads: its title, its summary line, and a body block of the given height. */
export function PageSkeleton({ label, body = "h-64" }: { label: string; body?: "h-64" | "h-96" }) {
  return (
    <div role="status" aria-label={label}>
      <Skeleton className="h-8 w-40" />
      <Skeleton className="mt-3 h-4 w-96 max-w-full" />
      <Skeleton className={`mt-8 ${body}`} />
    </div>
  );
}
