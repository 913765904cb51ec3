import { agentIdentityFace as contract } from "@/lib/api/identity";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { agentIdentityFace } from "@/lib/identity/agent-face";

export const GET = handle(contract, async ({ params, principal }) => ({ status: 200, body: await agentIdentityFace(db(), orgOf(principal), params.id) }));
