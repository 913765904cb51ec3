import { PageSkeleton } from "@/components/ui/page-skeleton";

export default function SignersLoading() {
  return <PageSkeleton label="Loading signers" />;
}
