import type { Metadata } from "next";
import { SignerPolicies } from "@/components/policies/signer-policies";
import { requireSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Guardrails" };

export default async function SignerPoliciesPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/signers/${encodeURIComponent(id)}/policies`);
  return <SignerPolicies organizationId={session.organization.id} signerId={id} role={session.organization.role} />;
}
