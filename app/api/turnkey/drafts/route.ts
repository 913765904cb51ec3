import { createTurnkeyDraft as contract } from "@/lib/api/turnkey";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { createTurnkeyDraft } from "@/lib/turnkey/drafts";

export const POST = handle(contract, async ({ body, principal }) => ({ status: 200, body: await createTurnkeyDraft(db(), orgOf(principal), body) }));
