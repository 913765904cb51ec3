import type { Metadata } from "next";
import { requireSession } from "@/components/session/require-session";
import { SignerDetail } from "@/components/signers/signer-detail";

export const metadata: Metadata = { title: "Signer" };

export default async function SignerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/signers/${encodeURIComponent(id)}`);
  return <SignerDetail organizationId={session.organization.id} signerId={id} role={session.organization.role} />;
}
