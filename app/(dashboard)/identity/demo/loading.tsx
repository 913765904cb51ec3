import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function IdentityDemoLoading() {
  return <PageSkeleton label="Loading the demo" />;
}
