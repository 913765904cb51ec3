/**
 * Seed 003's demo endpoints (issue #17), each behind a verified signed agent request (the platform's
 * `signedAgent` mode: x-self-agent-* headers or RFC 9421): the service pattern (`verify`), mutual
 * verification between agents (`agentToAgent`: the response is signed by the demo agent), and the
 * census. Route handlers call these.
 */
import type { Address, Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import type { SignedAgent } from "@/lib/auth/signed-agent";
import { UnauthorizedError, ForbiddenError } from "@/lib/http/errors";
import { infoView, strengthLabel } from "@/lib/identity/model";
import { agentIdOf, identityChain, readAgent, sameHuman, sybilMetrics } from "@/lib/identity/registry";
import { signAgentRequest, signedPath } from "@/lib/identity/sign";
import { checkSignature } from "@/lib/identity/verify-request";
import { demoAgent } from "./demo-agent";

/** The caller's on-chain record (the signed_agent principal names it). */
async function callerAgent(db: DbOrTx, caller: SignedAgent) {
  if (caller.chainId === null || caller.agentId === null) throw new UnauthorizedError("Missing agent authentication headers");
  const chain = await identityChain(db, caller.chainId);
  return { chain, agent: await readAgent(chain, Number(caller.agentId)) };
}

/** POST /api/demo/verify: the caller verified — its info, credentials and Sybil metrics. */
export async function demoVerify(db: DbOrTx, caller: SignedAgent) {
  const { chain, agent } = await callerAgent(db, caller);
  return { valid: true as const, ...infoView(agent), ...(await sybilMetrics(chain, agent.nullifier)) };
}

/**
 * POST /api/demo/agent-to-agent: the caller verified, `sameHuman()` with the demo agent, and the
 * answer signed by the demo agent: x-self-agent-* headers over (timestamp, the request's METHOD and
 * path?query, the response body) — what `verifyAgentResponse` checks on the caller's side.
 */
export async function agentToAgent(db: DbOrTx, caller: SignedAgent, req: { method: string; url: string }) {
  const { chain, agent } = await callerAgent(db, caller);
  const demo = await demoAgent(db, chain.network.chainId);
  const same = await sameHuman(chain, agent.agentId, demo.agentId);
  const body = JSON.stringify({
    verified: true,
    sameHuman: same,
    caller: { agentId: agent.agentId, agentAddress: agent.agentAddress, chainId: agent.chainId, strengthLabel: strengthLabel(agent.verificationStrength) },
    demoAgent: { agentId: demo.agentId, agentAddress: demo.address, chainId: demo.chainId },
    message: same ? "Hello, agent of the same human." : "Hello, agent. We are verified agents of different humans.",
  });
  const headers = await signAgentRequest(demo.key, { method: req.method, url: req.url, body });
  return { body, headers };
}

/**
 * The caller's side of mutual verification: the response's x-self-agent-* signature is valid over
 * (the request's METHOD and path?query, the response body), fresh, and made by an agent registered on
 * `chainId` (optionally: a given address).
 */
export async function verifyAgentResponse(
  db: DbOrTx,
  res: { headers: Headers; body: string },
  req: { method: string; url: string; chainId: number; expectAddress?: Address },
  now = Date.now(),
): Promise<{ address: Address; agentId: number; digest: Hex }> {
  const facts = await checkSignature(res.headers, { method: req.method, path: signedPath(req.url), body: res.body }, now);
  if (req.expectAddress && facts.address.toLowerCase() !== req.expectAddress.toLowerCase()) throw new ForbiddenError("Response signed by another agent");
  const agentId = await agentIdOf(await identityChain(db, req.chainId), facts.address);
  if (agentId === 0) throw new ForbiddenError("Agent is not registered");
  return { address: facts.address, agentId, digest: facts.digest };
}

export { callerAgent };
