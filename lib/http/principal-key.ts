import type { Principal } from "./principal";

/**
 * One stable identifier per authenticated caller, for rate-limit counters (lib/http/rate-limit.ts)
 * and the request log (lib/http/handle.ts): the user id of a session, the credential id of an API
 * or signer key, `agent:<id>` for an agent token, `signed_agent:<address>` for a seed-003 signed
 * request. Anonymous callers have none (they are counted by address).
 */
export function principalKey(p: Principal | undefined): string | undefined {
  switch (p?.type) {
    case "user":
      return p.userId;
    case "credential":
      return p.credential.id;
    case "agent":
      return `agent:${p.agentId}`;
    case "signed_agent":
      return `signed_agent:${p.agent.agentAddress.toLowerCase()}`;
    default:
      return undefined;
  }
}
