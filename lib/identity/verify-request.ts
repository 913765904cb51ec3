/**
 * `verifyAgentRequest()`: every check a service needs before trusting a signed agent request, each
 * refusal with its own reason (`AgentRequestRejectedError.code`) and the seed's status: 401 for
 * missing headers, a bad timestamp or signature; 403 when the agent fails verification; 409 for a
 * replay. `checkSignature` is the pure part; the rest reads the chain and the shared replay cache.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { getAddress, hexToBytes, isAddress, isAddressEqual, isHex, keccak256, recoverMessageAddress, type Address, type Hex } from "viem";
import type { DbOrTx } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import type { SignedAgent } from "@/lib/auth/signed-agent";
import { isVerified, type OnchainAgent } from "./model";
import { agentIdOf, chainIdForNetworkLabel, identityChain, readAgent, sameHuman, sybilMetrics } from "./registry";
import { AGENT_COMPONENTS, agentComponentValues, parseSignatureHeaders, signatureBase } from "./http-signature";
import { agentRequestDigest, ed25519AgentAddress, SELF_AGENT_HEADER_NAMES as H, signedPath, SIGNATURE_WINDOW_MS } from "./sign";

export type RejectReason =
  | "missing_headers"
  | "bad_timestamp"
  | "expired_timestamp"
  | "bad_signature"
  | "not_registered"
  | "not_verified"
  | "stale_proof"
  | "sybil_limit"
  | "credentials"
  | "not_same_human"
  | "replay";

const STATUS: Record<RejectReason, number> = {
  missing_headers: 401,
  bad_timestamp: 401,
  expired_timestamp: 401,
  bad_signature: 401,
  not_registered: 403,
  not_verified: 403,
  stale_proof: 403,
  sybil_limit: 403,
  credentials: 403,
  not_same_human: 403,
  replay: 409,
};

export class AgentRequestRejectedError extends ApiError {
  readonly reason: RejectReason;
  constructor(reason: RejectReason, message: string) {
    super(STATUS[reason], message, { code: reason });
    this.reason = reason;
  }
}

export type SignatureFacts = { address: Address; keyType: "secp256k1" | "ed25519"; timestampMs: number; digest: Hex };

/** Pure: headers present, timestamp within the window, signature valid for the claimed address. */
export async function checkSignature(headers: Headers, req: { method: string; path: string; body: string }, nowMs: number): Promise<SignatureFacts> {
  const address = headers.get(H.address);
  const signature = headers.get(H.signature);
  const timestamp = headers.get(H.timestamp);
  if (!address || !signature || !timestamp) throw new AgentRequestRejectedError("missing_headers", "Missing agent authentication headers");
  if (!/^\d{1,16}$/.test(timestamp)) throw new AgentRequestRejectedError("bad_timestamp", "Invalid x-self-agent-timestamp (Unix milliseconds)");
  const timestampMs = Number(timestamp);
  if (Math.abs(nowMs - timestampMs) > SIGNATURE_WINDOW_MS) throw new AgentRequestRejectedError("expired_timestamp", "Request timestamp is outside the 5-minute window");
  if (!isAddress(address, { strict: false }) || !isHex(signature)) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
  const claimed = getAddress(address);
  const digest = agentRequestDigest({ timestamp, method: req.method, path: req.path, body: req.body });
  const keyType = (headers.get(H.keyType) ?? "secp256k1").toLowerCase();

  if (keyType === "ed25519") {
    const key = headers.get(H.key);
    if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key) || !/^0x[0-9a-fA-F]{128}$/.test(signature)) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
    if (!isAddressEqual(ed25519AgentAddress(key as Hex), claimed)) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
    let ok = false;
    try {
      ok = ed25519.verify(hexToBytes(signature), hexToBytes(digest), hexToBytes(key as Hex));
    } catch {
      ok = false;
    }
    if (!ok) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
    return { address: claimed, keyType: "ed25519", timestampMs, digest };
  }
  if (keyType !== "secp256k1") throw new AgentRequestRejectedError("bad_signature", "Unsupported x-self-agent-keytype");
  let recovered: Address;
  try {
    recovered = await recoverMessageAddress({ message: { raw: digest }, signature });
  } catch {
    throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
  }
  if (!isAddressEqual(recovered, claimed)) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
  return { address: claimed, keyType: "secp256k1", timestampMs, digest };
}

/**
 * Pure: an RFC 9421 signature (Signature-Input / Signature, Ed25519) over the agent components
 * ("@method" "@path" "@query" "content-digest"), `created` within the window, keyid = the agent's
 * Ed25519 public key. The content digest is recomputed from the body received.
 */
export function checkHttpMessageSignature(headers: Headers, req: { method: string; url: string; body: string }, nowMs: number): SignatureFacts {
  const parsed = parseSignatureHeaders(headers.get("signature-input"), headers.get("signature"));
  if (!parsed) throw new AgentRequestRejectedError("missing_headers", "Missing agent authentication headers");
  const { params } = parsed;
  const covered = new Set(params.components);
  if (covered.size !== params.components.length || params.components.length !== AGENT_COMPONENTS.length || !AGENT_COMPONENTS.every((c) => covered.has(c))) {
    throw new AgentRequestRejectedError("bad_signature", `The signature must cover ${AGENT_COMPONENTS.map((c) => `"${c}"`).join(" ")}`);
  }
  if (params.alg !== undefined && params.alg !== "ed25519") throw new AgentRequestRejectedError("bad_signature", "Unsupported signature algorithm");
  if (!/^0x[0-9a-fA-F]{64}$/.test(params.keyid)) throw new AgentRequestRejectedError("bad_signature", "keyid must be the agent's Ed25519 public key (0x hex)");
  const timestampMs = params.created * 1000;
  if (Math.abs(nowMs - timestampMs) > SIGNATURE_WINDOW_MS) throw new AgentRequestRejectedError("expired_timestamp", "Request timestamp is outside the 5-minute window");
  const values = agentComponentValues({ method: req.method, url: req.url, body: req.body });
  const sent = headers.get("content-digest");
  if (sent !== null && sent !== values["content-digest"]) throw new AgentRequestRejectedError("bad_signature", "Content-Digest does not match the body");
  const base = signatureBase(values, params, parsed.paramsText);
  let ok = false;
  try {
    ok = ed25519.verify(parsed.signature, new TextEncoder().encode(base), hexToBytes(params.keyid as Hex));
  } catch {
    ok = false;
  }
  if (!ok) throw new AgentRequestRejectedError("bad_signature", "Invalid agent signature");
  return { address: ed25519AgentAddress(params.keyid as Hex), keyType: "ed25519", timestampMs, digest: keccak256(new TextEncoder().encode(base)) };
}

export type CredentialRequirements = { minimumAge?: number; ofacClear?: boolean; nationalities?: string[] };

/** Pure: the agent's disclosed credentials meet the service's requirements. */
export function meetsRequirements(agent: OnchainAgent, req: CredentialRequirements): string | null {
  if (req.minimumAge !== undefined && agent.credentials.olderThan < req.minimumAge) return `Agent's human is not verified as at least ${req.minimumAge}`;
  if (req.ofacClear && agent.credentials.ofac.some(Boolean)) return "Agent's human is on an OFAC list";
  if (req.nationalities && !req.nationalities.includes(agent.credentials.nationality)) return "Agent's human nationality is not allowed";
  return null;
}

export type VerifyOptions = {
  /** The chain whose registry is asked; default: the chain the seed's default network ("mainnet") selects. */
  chainId?: number;
  /** Refuse proofs (registration or latest refresh) older than this. */
  maxProofAgeSeconds?: number;
  requirements?: CredentialRequirements;
  /** Require that the caller and this agent were registered by the same human. */
  sameHumanAs?: number;
  /** Clock, for tests (Unix ms). */
  now?: number;
};

export type VerifiedAgentRequest = { agent: OnchainAgent; address: Address; keyType: SignatureFacts["keyType"]; chainId: number };

/** Every check; on success the request's signature is recorded so it cannot be replayed. */
export async function verifyAgentRequest(db: DbOrTx, req: Request, opts: VerifyOptions = {}): Promise<VerifiedAgentRequest> {
  const now = opts.now ?? Date.now();
  const body = req.method === "GET" || req.method === "HEAD" ? "" : await req.clone().text();
  // x-self-agent-* headers, else RFC 9421 (Signature-Input / Signature).
  const facts =
    !req.headers.has(H.signature) && req.headers.has("signature-input")
      ? checkHttpMessageSignature(req.headers, { method: req.method, url: req.url, body }, now)
      : await checkSignature(req.headers, { method: req.method, path: signedPath(req.url), body }, now);

  const chainId = opts.chainId ?? (await chainIdForNetworkLabel(db, "mainnet"));
  const chain = await identityChain(db, chainId);
  const agentId = await agentIdOf(chain, facts.address);
  if (agentId === 0) throw new AgentRequestRejectedError("not_registered", "Agent is not registered");
  const agent = await readAgent(chain, agentId);
  if (!isVerified(agent)) throw new AgentRequestRejectedError("not_verified", "Agent is not verified");
  if (opts.maxProofAgeSeconds !== undefined && now / 1000 - agent.proofRefreshedAt > opts.maxProofAgeSeconds) throw new AgentRequestRejectedError("stale_proof", "Agent's proof of human is too old");
  const sybil = await sybilMetrics(chain, agent.nullifier);
  if (sybil.humanAgentCount > sybil.maxAgentsPerHuman) throw new AgentRequestRejectedError("sybil_limit", "Agent's human has more agents than allowed");
  if (opts.requirements) {
    const why = meetsRequirements(agent, opts.requirements);
    if (why) throw new AgentRequestRejectedError("credentials", why);
  }
  if (opts.sameHumanAs !== undefined && !(await sameHuman(chain, agentId, opts.sameHumanAs))) throw new AgentRequestRejectedError("not_same_human", "Agents do not belong to the same human");

  await recordOnce(db, keccak256(`${facts.address}${facts.digest.slice(2)}` as Hex), new Date(facts.timestampMs + SIGNATURE_WINDOW_MS));
  return { agent, address: facts.address, keyType: facts.keyType, chainId };
}

/**
 * The shared replay cache: one row per accepted (agent, signed digest) until its window closes.
 * Keyed by what was signed, not by the signature bytes, so a re-encoded signature (ECDSA's high-s
 * twin) is the same request. Expired rows are swept by lib/ops/housekeeping.ts; one that is still
 * there never collides with a fresh request, whose timestamp (part of the digest) is within the window.
 */
async function recordOnce(db: DbOrTx, key: Hex, expiresAt: Date): Promise<void> {
  try {
    await db.agentRequestReplay.create({ data: { key, expiresAt } });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "P2002" || code === "23505") throw new AgentRequestRejectedError("replay", "Replay detected");
    throw err;
  }
}

/** The verifier behind the platform's `signed_agent` principal (lib/auth/signed-agent.ts). */
export async function signedAgentFor(db: DbOrTx, req: Request): Promise<SignedAgent> {
  const v = await verifyAgentRequest(db, req);
  const record = await db.agent.findUnique({
    where: { onchainChainId_onchainAgentId: { onchainChainId: v.chainId, onchainAgentId: String(v.agent.agentId) } },
    select: { id: true, organizationId: true },
  });
  return { agentAddress: v.address, chainId: v.chainId, agentId: String(v.agent.agentId), recordId: record?.id ?? null, organizationId: record?.organizationId ?? null };
}
