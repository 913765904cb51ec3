import { Skeleton } from "@/components/ui/skeleton";

export default function SettingsLoading() {
  return (
    <div role="status" aria-label="Loading settings" className="space-y-4">
      <Skeleton className="h-40" />
      <Skeleton className="h-56" />
    </div>
  );
}
