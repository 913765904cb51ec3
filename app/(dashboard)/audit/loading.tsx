import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function AuditLoading() {
  return <PageSkeleton label="Loading audit log" body="h-96" />;
}
