import { updateAgentConfig as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { renameParam } from "@/lib/http/rename-param";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { configRequest, parseSid } from "@/lib/trust/requests";
import { findOwnedAgent, scoreBody, startProfile, updateConfig, type Found } from "@/lib/trust/store";

/**
 * Seed 001's POST /agents/{sid}/config. The folder is [id] because the dashboard's /agents/[id] page
 * shares the segment (Next allows one slug name per level); only SID-formatted ids are accepted.
 */
const route = handle(contract, async ({ params, body, principal, ctx }) => {
  const agent = await findOwnedAgent(db(), parseSid(params.sid), orgOf(principal));
  const config = configRequest(body);
  const who = { actor: actorOf(principal), context: ctx };
  // An agent given its SID in the Agent registry starts its score with its first configuration.
  const r = agent.trustProfile ? await updateConfig(db(), agent as Found, config, who) : await startProfile(db(), agent, config, who);
  const changed = r.changeType !== null;
  return {
    status: 200,
    body: {
      change_detected: changed,
      change_type: r.changeType,
      updated_scores: scoreBody(r.view),
      fingerprint_hash: r.fingerprint,
      message: changed ? `Configuration change detected: ${r.changeType}. Decay applied.` : "No configuration change detected",
    },
  };
});

export const POST = renameParam("id", "sid", route);
