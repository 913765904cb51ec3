import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function AgentLoading() {
  return <PageSkeleton label="Loading agent" />;
}
