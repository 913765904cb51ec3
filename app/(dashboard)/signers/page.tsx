import type { Metadata } from "next";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { SignersList } from "@/components/signers/signers-list";

export const metadata: Metadata = { title: "Signers" };

export default async function SignersPage() {
  const session = await requireSession("/signers");
  return (
    <>
      <PageHeader
        title="Signers"
        description="Threshold wallets for your agents. Each signer is a 2-of-3 ECDSA key split between the agent, Countersign and your recovery share."
      />
      <SignersList organizationId={session.organization.id} />
    </>
  );
}
