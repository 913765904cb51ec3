import type { Metadata } from "next";
import Link from "next/link";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { KeygenWizardSlot } from "@/components/signers/keygen-job";
import { canManageSigners } from "@/components/signers/signer-format";

export const metadata: Metadata = { title: "New signer" };

export default async function NewSignerPage() {
  const session = await requireSession("/signers/new");
  const canManage = canManageSigners(session.organization.role);
  return (
    <>
      <PageHeader
        title="New signer"
        description="Create an agent wallet: a 2-of-3 threshold key generated together by your browser, your agent (on its own machine) and Countersign."
      />
      {canManage ? (
        // The wizard is mounted by the dashboard shell (it keeps running while the user visits other pages); this shows it.
        <KeygenWizardSlot />
      ) : (
        <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted">
          Only owners and admins can create signers. <Link href="/signers" className="underline">Back to signers</Link>
        </p>
      )}
    </>
  );
}
