import { createDraft as contract } from "@/lib/api/approvals";
import { agentOf } from "@/lib/approvals/agents";
import { createDraft } from "@/lib/approvals/drafts";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(contract, async ({ body, principal }) => {
  const agent = await agentOf(db(), principal);
  return { status: 200, body: await createDraft(db(), agent, body) };
});
