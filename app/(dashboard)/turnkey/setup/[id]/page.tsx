import type { Metadata } from "next";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { TurnkeySetup } from "@/components/turnkey/setup-session";
import { ErrorState } from "@/components/ui/error-state";
import { db } from "@/lib/db/client";
import { getSetupSession } from "@/lib/turnkey/setup";

export const metadata: Metadata = { title: "Turnkey wallet setup" };

/** The setupUrl of POST /api/turnkey/hfa/setup-sessions: a signed-in member creates the agent's Turnkey wallet. */
export default async function TurnkeySetupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requireSession(`/turnkey/setup/${encodeURIComponent(id)}`);
  const setup = await getSetupSession(db(), session.organization.id, id).catch(() => null);
  return (
    <>
      <PageHeader title="Turnkey wallet setup" description="Create the agent's Turnkey wallet, with your approval required for each of its transactions." />
      {setup ? <TurnkeySetup initial={setup} /> : <ErrorState title="Setup session not found" message="It belongs to another organization, or the link is wrong." />}
    </>
  );
}
