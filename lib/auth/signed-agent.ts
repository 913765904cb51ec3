/**
 * Seed 003's signed agent requests: the `x-self-agent-*` headers that `SelfAgent.signRequest()`
 * produces. authenticate() turns them into a `signed_agent` principal on routes whose contract
 * accepts `signedAgent`, through the verifier registered here. The verifier itself (the request
 * signature, the agent's on-chain registration) belongs to the agent identity work (seed 003); until
 * one is registered, such a request is refused with 401, never let through.
 */
import { UnauthorizedError } from "@/lib/http/errors";

export const SELF_AGENT_HEADERS = {
  address: "x-self-agent-address",
  signature: "x-self-agent-signature",
  timestamp: "x-self-agent-timestamp",
  key: "x-self-agent-key",
  keyType: "x-self-agent-keytype",
} as const;

/** Who a verified signed request comes from. */
export type SignedAgent = {
  agentAddress: `0x${string}`;
  /** The on-chain registration ({chainId, agentId}) when the verifier resolved one. */
  chainId: number | null;
  agentId: string | null;
  /** The Countersign agent record and its organization, when the address belongs to one. */
  recordId: string | null;
  organizationId: string | null;
};

export type SignedAgentVerifier = (req: Request) => Promise<SignedAgent>;

/**
 * Kept on globalThis, not in a module variable: in the production build, instrumentation.ts (which
 * installs it) and each route handler are separate bundles with their own copies of this module.
 */
const VERIFIER = Symbol.for("countersign.signedAgentVerifier");
const slot = globalThis as { [VERIFIER]?: SignedAgentVerifier | null };

/** Installs the verifier (once, at start-up; tests install their own and remove it with null). */
export function registerSignedAgentVerifier(v: SignedAgentVerifier | null): void {
  slot[VERIFIER] = v;
}

/** x-self-agent-* headers, or an RFC 9421 signature (Signature-Input + Signature). */
export function presentsSignedAgent(req: Request): boolean {
  return (req.headers.has(SELF_AGENT_HEADERS.signature) && req.headers.has(SELF_AGENT_HEADERS.address)) || (req.headers.has("signature-input") && req.headers.has("signature"));
}

export async function verifySignedAgent(req: Request): Promise<SignedAgent> {
  const verifier = slot[VERIFIER];
  if (!verifier) throw new UnauthorizedError("Signed agent requests cannot be verified on this server yet");
  return verifier(req);
}
