import { register as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { registerRequest } from "@/lib/trust/requests";
import { registerAgent } from "@/lib/trust/store";

export const POST = handle(contract, async ({ body, principal, ctx }) => {
  const input = registerRequest(body);
  const r = await registerAgent(db(), orgOf(principal), input, { actor: actorOf(principal), context: ctx });
  return {
    status: 201,
    body: { sid: r.sid, name: r.agent.name, composite_score: r.view.composite, confidence: r.view.confidence, fingerprint: r.fingerprint, message: "Agent registered successfully" },
  };
});
