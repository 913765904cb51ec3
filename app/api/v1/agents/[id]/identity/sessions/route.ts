import { agentIdentitySession as contract } from "@/lib/api/identity-sessions";
import { env } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { startAgentVerification } from "@/lib/identity/sessions";

export const POST = handle(contract, async ({ params, body, principal }) => ({ status: 201, body: await startAgentVerification(db(), orgOf(principal), params.id, body, env().origin) }));
