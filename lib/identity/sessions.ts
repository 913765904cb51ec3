/**
 * Seed 003 proof-of-human sessions: register, identify, refresh, deregister. The client holds an
 * `enc_` token (lib/identity/session-token.ts: sealed session id + 30-minute expiry); the state is
 * the identity_sessions row, so any instance answers any step. Stages: qr-ready → proof-received →
 * completed | failed. The callback moves qr-ready → proof-received with a conditional update, so a
 * second proof (a replay, or a race between instances) is a 409 and the chain is written once.
 */
import { randomBytes } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { BaseError, bytesToHex, ContractFunctionRevertedError, getAddress, isAddressEqual, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { BadRequestError, ConflictError, GoneError, NotConfiguredError, NotFoundError, UnauthorizedError } from "@/lib/http/errors";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { deregisterWithLocalProvider, refreshWithLocalProvider, registerWithLocalProvider, type RegistrationInput } from "./local-provider";
import { getAgentRow } from "@/lib/agents/registry";
import { memberAssertionChallenge, recordMemberAssertion, requireFreshMemberAssertion } from "./member-assertion";
import { MOCK_PASSPORT_PROVIDER, mockPassportProvider, signMockProof, type MockDocument } from "./mock-passport";
import { networkLabel, strengthLabel, type IdentityNetwork } from "./model";
import { InvalidProofError, ProviderFailureError, proofScope, type Disclosures, type ProofProvider, type ProofRequest, type VerifiedProof } from "./proof-provider";
import { providerAccount, providerKeyAddress } from "./provider-key";
import { selfConfigFrom, selfProvider } from "./self-provider";
import { env } from "@/lib/config/env";
import { agentIdOf, agentsOfNullifier, chainIdForNetworkLabel, identityChain, readAgent, type IdentityChain } from "./registry";
import { openSessionToken, resealSessionToken, sealSessionToken, sessionKey, type SessionClaims, type SessionKind } from "./session-token";
import { ed25519AgentAddress } from "./sign";
import { attestRegistration, settleSmartWallet, smartWalletFor, type SmartWalletPlan } from "./smartwallet";

export const SESSION_STAGES = ["qr-ready", "proof-received", "completed", "failed"] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];
/** Modes whose agent key this server generates (and exports once). */
export const KEY_MODES = ["linked", "wallet-free", "ed25519", "ed25519-linked", "smartwallet"] as const;
export type KeyMode = (typeof KEY_MODES)[number];
const ED25519_MODES: readonly string[] = ["ed25519", "ed25519-linked"];
const LINKED_MODES: readonly string[] = ["linked", "ed25519-linked"];

export const STAGE_CONFLICT = "Operation not available at current session stage";

type SessionRow = NonNullable<Awaited<ReturnType<DbOrTx["identitySession"]["findUnique"]>>>;
type Target = { network?: IdentityNetwork; chainId?: number };

/**
 * The proof provider serving a chain: Self on the chain SELF_CHAIN_ID names (lib/identity/self-provider.ts),
 * the mock passport on a local devnet; elsewhere none is configured (503).
 */
export function proofProviderFor(db: DbOrTx, chain: IdentityChain): ProofProvider {
  const self = selfConfigFrom(env());
  if (self && self.chainId === chain.network.chainId) return selfProvider(self);
  if (chain.network.isDevnet) return mockPassportProvider(() => providerKeyAddress(db));
  throw new NotConfiguredError();
}

async function resolveChain(db: DbOrTx, t: Target): Promise<{ chain: IdentityChain; network: IdentityNetwork }> {
  const chainId = t.chainId ?? (await chainIdForNetworkLabel(db, t.network ?? "mainnet"));
  const chain = await identityChain(db, chainId);
  // An explicit chain names its own network label; else the label asked for (its chain may be the devnet standing in).
  return { chain, network: t.chainId !== undefined ? networkLabel(chainId) : (t.network ?? "mainnet") };
}

const callbackPath: Record<SessionKind, string> = {
  register: "/api/agent/register/callback",
  identify: "/api/agent/identify/callback",
  refresh: "/api/agent/refresh/callback",
  deregister: "/api/agent/deregister/callback",
};

function proofRequest(row: SessionRow, token: string, origin: string): ProofRequest {
  return {
    sessionId: row.id,
    kind: row.kind as SessionKind,
    chainId: row.chainId,
    scope: proofScope(row.chainId),
    disclosures: row.disclosures as Disclosures,
    token,
    callbackUrl: `${origin}${callbackPath[row.kind as SessionKind]}?token=${encodeURIComponent(token)}`,
    origin,
  };
}

type NewSession = {
  kind: SessionKind;
  chain: IdentityChain;
  network: IdentityNetwork;
  disclosures: Disclosures;
  mode?: string;
  agentAddress?: Address;
  ed25519Key?: Hex;
  sealedAgentKey?: (sid: string) => SealedBlob;
  humanAddress?: Address;
  agentId?: number;
  agentRecordId?: string;
  name?: string;
  description?: string;
  smartWallet?: SmartWalletPlan;
};

async function openSession(db: DbOrTx, s: NewSession, origin: string, now: number) {
  const provider = proofProviderFor(db, s.chain);
  const key = await sessionKey();
  const { token, claims } = sealSessionToken(key, s.kind, {}, now);
  await db.identitySession.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  const row = await db.identitySession.create({
    data: {
      id: claims.sid,
      kind: s.kind,
      stage: "qr-ready",
      chainId: s.chain.network.chainId,
      mode: s.mode ?? null,
      provider: provider.name,
      disclosures: s.disclosures as object,
      agentAddress: s.agentAddress ?? null,
      ed25519Key: s.ed25519Key ?? null,
      sealedAgentKey: s.sealedAgentKey ? (s.sealedAgentKey(claims.sid) as object) : undefined,
      humanAddress: s.humanAddress ?? null,
      agentId: s.agentId ?? null,
      agentRecordId: s.agentRecordId ?? null,
      result: { network: s.network, ...(s.name ? { name: s.name } : {}), ...(s.description ? { description: s.description } : {}), ...(s.smartWallet ? { smartWallet: s.smartWallet } : {}) },
      expiresAt: new Date(claims.exp),
    },
  });
  const link = await provider.link(proofRequest(row, token, origin));
  return { sessionToken: token, ...link, network: s.network, chainId: row.chainId, expiresAt: claims.exp };
}

const agentKeyContext = (sid: string) => `identity-session-agent-key:${sid}`;

export type RegisterInput = Target & {
  mode: string;
  humanAddress?: string;
  agentAddress?: string;
  agentPublicKey?: string;
  disclosures?: Disclosures;
  name?: string;
  description?: string;
  agentRecordId?: string;
  /** smartwallet mode: the passkey's P-256 public key (x || y), whose counterfactual account holds the agent's token. */
  passkeyPublicKey?: string;
};

/** POST /api/agent/register */
export async function createRegisterSession(db: DbOrTx, input: RegisterInput, origin: string, now = Date.now()) {
  if (input.mode === "privy") throw new NotConfiguredError();
  const mode = input.mode as KeyMode;
  const ed = ED25519_MODES.includes(mode);
  const smart = mode === "smartwallet";
  if (smart && !input.passkeyPublicKey) throw new BadRequestError("passkeyPublicKey is required for mode smartwallet", [{ field: "body.passkeyPublicKey", message: "The passkey that owns the smart account" }]);
  if (!smart && input.passkeyPublicKey) throw new BadRequestError(`passkeyPublicKey is not used in mode ${mode}`, [{ field: "body.passkeyPublicKey", message: "Only for mode smartwallet" }]);
  if (LINKED_MODES.includes(mode) && !input.humanAddress) throw new BadRequestError(`humanAddress is required for mode ${mode}`, [{ field: "body.humanAddress", message: "Required in linked modes" }]);
  if (!LINKED_MODES.includes(mode) && !smart && input.humanAddress) throw new BadRequestError(`humanAddress is not used in mode ${mode}`, [{ field: "body.humanAddress", message: "Only for linked modes" }]);
  if (ed && input.agentAddress) throw new BadRequestError(`Mode ${mode} takes agentPublicKey, not agentAddress`, [{ field: "body.agentAddress", message: "Ed25519 modes" }]);
  if (!ed && input.agentPublicKey) throw new BadRequestError(`Mode ${mode} takes agentAddress, not agentPublicKey`, [{ field: "body.agentPublicKey", message: "EVM modes" }]);
  const { chain, network } = await resolveChain(db, input);
  let humanAddress = input.humanAddress ? getAddress(input.humanAddress) : undefined;
  let smartWallet: SmartWalletPlan | undefined;
  if (smart) {
    smartWallet = await smartWalletFor(db, chain, input.passkeyPublicKey!);
    if (humanAddress && !isAddressEqual(humanAddress, smartWallet.account)) throw new BadRequestError("humanAddress is not the passkey's smart account", [{ field: "body.humanAddress", message: `The passkey's account is ${smartWallet.account}` }]);
    humanAddress = smartWallet.account;
  }

  let agentAddress: Address;
  let ed25519Key: Hex | undefined;
  let secret: Uint8Array | undefined;
  if (ed) {
    if (input.agentPublicKey) ed25519Key = input.agentPublicKey.toLowerCase() as Hex;
    else {
      secret = randomBytes(32);
      ed25519Key = bytesToHex(ed25519.getPublicKey(secret));
    }
    agentAddress = ed25519AgentAddress(ed25519Key);
  } else if (input.agentAddress) {
    agentAddress = getAddress(input.agentAddress);
  } else {
    const pk = generatePrivateKey();
    secret = Buffer.from(pk.slice(2), "hex");
    agentAddress = privateKeyToAccount(pk).address;
  }
  if ((await agentIdOf(chain, agentAddress)) !== 0) throw new ConflictError("Agent key already registered");
  const sealedKey = secret;
  const opened = await openSession(
    db,
    {
      kind: "register",
      chain,
      network,
      mode,
      disclosures: input.disclosures ?? {},
      agentAddress,
      ed25519Key,
      sealedAgentKey: sealedKey ? (sid) => sealSecret(sealedKey, agentKeyContext(sid)) : undefined,
      humanAddress,
      agentRecordId: input.agentRecordId,
      name: input.name,
      description: input.description,
      smartWallet,
    },
    origin,
    now,
  );
  return {
    sessionToken: opened.sessionToken,
    deepLink: opened.deepLink,
    qrData: opened.qrData,
    agentAddress,
    mode,
    network,
    chainId: opened.chainId,
    expiresAt: opened.expiresAt,
    ...(smartWallet ? { humanAddress: smartWallet.account, smartWallet: smartWalletView(smartWallet) } : {}),
  };
}

/** POST /api/agent/identify */
export async function createIdentifySession(db: DbOrTx, input: Target & { disclosures?: Disclosures }, origin: string, now = Date.now()) {
  const { chain, network } = await resolveChain(db, input);
  return openSession(db, { kind: "identify", chain, network, disclosures: input.disclosures ?? {} }, origin, now);
}

/** POST /api/agent/refresh */
export async function createRefreshSession(db: DbOrTx, input: Target & { agentId: number; disclosures?: Disclosures }, origin: string, now = Date.now()) {
  const { chain, network } = await resolveChain(db, input);
  await readAgent(chain, input.agentId);
  const opened = await openSession(db, { kind: "refresh", chain, network, disclosures: input.disclosures ?? {}, agentId: input.agentId }, origin, now);
  return { ...opened, agentId: input.agentId };
}

/** POST /api/agent/deregister */
export async function createDeregisterSession(db: DbOrTx, input: Target & { agentAddress: string; disclosures?: Disclosures }, origin: string, now = Date.now()) {
  const { chain, network } = await resolveChain(db, input);
  const agentAddress = getAddress(input.agentAddress);
  const agentId = await agentIdOf(chain, agentAddress);
  if (agentId === 0) throw new NotFoundError("Agent not found");
  const opened = await openSession(db, { kind: "deregister", chain, network, disclosures: input.disclosures ?? {}, agentId, agentAddress }, origin, now);
  return { ...opened, agentId, agentAddress };
}

/** Opens `token` as a session of `kind` and loads its row (401 tampered, 410 expired). */
export async function loadSession(db: DbOrTx, token: string, kind: SessionKind, now = Date.now()): Promise<{ row: SessionRow; claims: SessionClaims }> {
  const claims = openSessionToken(await sessionKey(), token, kind, now);
  const row = await db.identitySession.findUnique({ where: { id: claims.sid } });
  if (!row) throw new GoneError("Session expired");
  if (row.kind !== kind) throw new UnauthorizedError("Invalid or tampered session token");
  return { row, claims };
}

type Result = { network?: IdentityNetwork; name?: string; description?: string; smartWallet?: SmartWalletPlan } & Record<string, unknown>;

/** What a client sees of the smartwallet plan: the account, the contracts, and (once attested) the call to make before `deadline`. */
function smartWalletView(plan: SmartWalletPlan) {
  const { fromBlock: _fromBlock, ...view } = plan;
  return view;
}

/** The status body of a session (the seed's fields, then what the kind adds). */
export function statusView(row: SessionRow, sessionToken: string) {
  const { network, name: _name, description: _description, smartWallet, ...outcome } = (row.result ?? {}) as Result;
  const base = { stage: row.stage as SessionStage, sessionToken, network: network ?? "testnet", chainId: row.chainId };
  const error = row.error ? { error: row.error } : {};
  switch (row.kind as SessionKind) {
    case "register":
      return {
        ...base,
        mode: row.mode,
        agentAddress: row.agentAddress,
        ...(row.agentId !== null ? { agentId: row.agentId } : {}),
        ...(row.txHash ? { txHash: row.txHash } : {}),
        ...(smartWallet ? { humanAddress: row.humanAddress, smartWallet: smartWalletView(smartWallet) } : {}),
        ...error,
      };
    case "identify":
      return { ...base, ...outcome, ...error };
    case "refresh":
      return { ...base, agentId: row.agentId, ...(row.txHash ? { txHash: row.txHash } : {}), ...outcome, ...error };
    case "deregister":
      return { ...base, agentId: row.agentId, agentAddress: row.agentAddress, ...(row.txHash ? { txHash: row.txHash } : {}), ...error };
  }
}

/** GET /api/agent/{kind}/status */
export async function sessionStatus(db: DbOrTx, token: string, kind: SessionKind, now = Date.now()) {
  const { row, claims } = await loadSession(db, token, kind, now);
  const current = kind === "register" && row.mode === "smartwallet" && row.stage === "proof-received" ? await settleSmartWalletSession(db, row) : row;
  return statusView(current, resealSessionToken(await sessionKey(), claims));
}

/** A smartwallet registration waiting for its UserOperation: completed once the registry holds it, failed past the attestation's deadline. */
async function settleSmartWalletSession(db: DbOrTx, row: SessionRow): Promise<SessionRow> {
  const plan = ((row.result ?? {}) as Result).smartWallet;
  if (plan?.deadline === undefined || plan.fromBlock === undefined) return row;
  let settled: Awaited<ReturnType<typeof settleSmartWallet>>;
  try {
    settled = await settleSmartWallet(await identityChain(db, row.chainId), row.agentAddress as Address, { deadline: plan.deadline, fromBlock: plan.fromBlock });
  } catch {
    return row; // the chain did not answer: the session is still waiting
  }
  if (!settled) return row;
  const moved = await db.identitySession.updateMany({
    where: { id: row.id, stage: "proof-received" },
    data: settled.stage === "completed" ? { stage: "completed", agentId: settled.agentId, txHash: settled.txHash } : { stage: "failed", error: settled.error, ...(row.sealedAgentKey ? { sealedAgentKey: Prisma.DbNull } : {}) },
  });
  const updated = await db.identitySession.findUniqueOrThrow({ where: { id: row.id } });
  if (moved.count === 1 && updated.stage === "completed") await linkAgentRecord(db, updated);
  return updated;
}

/** GET /api/agent/register/qr */
export async function sessionQr(db: DbOrTx, token: string, kind: SessionKind, origin: string, now = Date.now()) {
  const { row } = await loadSession(db, token, kind, now);
  if (row.stage !== "qr-ready") throw new ConflictError(STAGE_CONFLICT);
  const provider = proofProviderFor(db, await identityChain(db, row.chainId));
  return { ...(await provider.link(proofRequest(row, token, origin))), stage: row.stage as SessionStage };
}

/** The proof request of a session: what the provider's app shows (the mock passport page reads it). */
export async function sessionProofRequest(db: DbOrTx, token: string, origin: string, now = Date.now()) {
  const claims = openAnyKind(await sessionKey(), token, now);
  const { row } = await loadSession(db, token, claims.kind, now);
  return { row, request: proofRequest(row, token, origin) };
}

function openAnyKind(key: Uint8Array, token: string, now: number): SessionClaims {
  let last: unknown;
  for (const k of ["register", "identify", "refresh", "deregister"] as const) {
    try {
      return openSessionToken(key, token, k, now);
    } catch (err) {
      if (err instanceof GoneError) throw err;
      last = err;
    }
  }
  throw last;
}

/** A revert's message for the session's `error` (the registry's custom errors, by name). */
function chainFailure(err: unknown): string {
  if (err instanceof BaseError) {
    const revert = err.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const name = revert.data?.errorName;
      const args = (revert.data?.args ?? []) as readonly unknown[];
      if (name === "TooManyAgentsForHuman") return `Too many agents for this human (maxAgentsPerHuman ${String(args[1])})`;
      if (name === "AgentKeyAlreadyRegistered") return "Agent key already registered";
      if (name === "NullifierMismatch") return "Proof is from a different human";
      if (name === "NotProofProvider") return "Proof provider not authorised on this registry";
      if (name === "AgentNotFound") return "Agent not found";
      if (name) return `Registry refused: ${name}`;
    }
  }
  return "On-chain transaction failed";
}

type Outcome = { stage: "completed" | "failed" | "proof-received"; agentId?: number; txHash?: Hex; result?: Record<string, unknown>; error?: string };

/** Seconds before the session expires by which a smartwallet registration must be on chain (its status must still be readable then). */
const ATTESTATION_MARGIN_S = 60;

async function runOnChain(db: DbOrTx, row: SessionRow, chain: IdentityChain, proof: VerifiedProof, keyName: string): Promise<Outcome> {
  const base = (row.result ?? {}) as Result;
  switch (row.kind as SessionKind) {
    case "identify": {
      const agents = await agentsOfNullifier(chain, proof.nullifier);
      return { stage: "completed", result: { nullifier: proof.nullifier.toString(), agentCount: agents.length, agents } };
    }
    case "register": {
      const agentAddress = row.agentAddress as Address;
      const registration: RegistrationInput = {
        nullifier: proof.nullifier,
        ...(row.ed25519Key ? { ed25519Key: row.ed25519Key as Hex } : { agentAddress }),
        humanAddress: (row.humanAddress ?? undefined) as Address | undefined,
        verificationStrength: proof.strength,
        credentials: proof.credentials,
        metadata: {
          name: base.name ?? `Agent ${agentAddress.slice(0, 10)}`,
          description: base.description ?? "Agent registered with proof of human",
          a2aEndpoint: "",
          mcpEndpoint: "",
        },
      };
      if (row.mode === "smartwallet" && base.smartWallet) {
        // The human's passkey account submits it (lib/identity/smartwallet.ts): attest, and wait for the chain.
        const deadline = Math.floor(row.expiresAt.getTime() / 1000) - ATTESTATION_MARGIN_S;
        const attested = await attestRegistration(db, chain, registration, deadline, keyName);
        return { stage: "proof-received", result: { smartWallet: { ...base.smartWallet, ...attested } } };
      }
      const { agentId, txHash } = await registerWithLocalProvider(db, chain, registration, keyName);
      return { stage: "completed", agentId, txHash };
    }
    case "refresh": {
      const agent = await readAgent(chain, row.agentId!);
      if (agent.nullifier !== proof.nullifier) return { stage: "failed", error: "Proof is from a different human" };
      const txHash = await refreshWithLocalProvider(db, chain, row.agentId!, proof.nullifier, proof.strength, proof.credentials, keyName);
      const after = await readAgent(chain, row.agentId!);
      return {
        stage: "completed",
        txHash,
        result: { verificationStrength: after.verificationStrength, strengthLabel: strengthLabel(after.verificationStrength), credentials: after.credentials, proofRefreshedAt: after.proofRefreshedAt },
      };
    }
    case "deregister": {
      const agent = await readAgent(chain, row.agentId!);
      if (agent.nullifier !== proof.nullifier) return { stage: "failed", error: "Proof is from a different human" };
      const txHash = await deregisterWithLocalProvider(db, chain, row.agentId!, proof.nullifier, keyName);
      return { stage: "completed", txHash };
    }
  }
}

/** POST /api/agent/{kind}/callback: verifies the proof, then writes the chain once. */
export async function sessionCallback(db: DbOrTx, token: string, kind: SessionKind, body: unknown, origin: string, now = Date.now()) {
  const { row, claims } = await loadSession(db, token, kind, now);
  if (row.stage !== "qr-ready") throw new ConflictError(STAGE_CONFLICT);
  const chain = await identityChain(db, row.chainId);
  const provider = proofProviderFor(db, chain);
  let proof: VerifiedProof;
  try {
    proof = await provider.verify(body, proofRequest(row, token, origin));
  } catch (err) {
    if (err instanceof InvalidProofError) throw new BadRequestError(err.message);
    if (err instanceof ProviderFailureError) return failSession(db, row, claims, err.message);
    throw err;
  }
  // The mock passport's proofs count only after a fresh passkey assertion of a member (member-assertion.ts).
  if (provider.name === MOCK_PASSPORT_PROVIDER) await requireFreshMemberAssertion(db, row, proof.attestedBy, now);
  const claimed = await db.identitySession.updateMany({ where: { id: row.id, stage: "qr-ready" }, data: { stage: "proof-received", nullifier: proof.nullifier.toString() } });
  if (claimed.count === 0) throw new ConflictError(STAGE_CONFLICT);

  let outcome: Outcome;
  try {
    outcome = await runOnChain(db, row, chain, proof, provider.keyName);
  } catch (err) {
    outcome = { stage: "failed", error: chainFailure(err) };
  }
  const keep = (row.result ?? {}) as Result;
  const updated = await db.identitySession.update({
    where: { id: row.id },
    data: {
      stage: outcome.stage,
      ...(outcome.agentId !== undefined ? { agentId: outcome.agentId } : {}),
      ...(outcome.txHash ? { txHash: outcome.txHash } : {}),
      ...(outcome.result ? { result: { ...keep, ...outcome.result } as object } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      // A failed registration's generated key is of no use: erase it.
      ...(outcome.stage === "failed" && row.sealedAgentKey ? { sealedAgentKey: Prisma.DbNull } : {}),
    },
  });
  if (outcome.stage === "completed") await linkAgentRecord(db, updated);
  return statusView(updated, resealSessionToken(await sessionKey(), claims));
}

/** The provider could not check the proof: qr-ready → failed with the reason (once, like a proof). */
async function failSession(db: DbOrTx, row: SessionRow, claims: SessionClaims, reason: string) {
  const failed = await db.identitySession.updateMany({
    where: { id: row.id, stage: "qr-ready" },
    data: { stage: "failed", error: reason, ...(row.sealedAgentKey ? { sealedAgentKey: Prisma.DbNull } : {}) },
  });
  if (failed.count === 0) throw new ConflictError(STAGE_CONFLICT);
  const updated = await db.identitySession.findUniqueOrThrow({ where: { id: row.id } });
  return statusView(updated, resealSessionToken(await sessionKey(), claims));
}

/** A dashboard session names its Countersign agent record: registration links it, deregistration unlinks it. */
async function linkAgentRecord(db: DbOrTx, row: SessionRow): Promise<void> {
  if (row.kind === "register" && row.agentRecordId && row.agentId !== null) {
    const record = await db.agent.findUnique({ where: { id: row.agentRecordId }, select: { agentAddress: true } });
    if (!record) return;
    await db.agent.update({
      where: { id: row.agentRecordId },
      data: { onchainChainId: row.chainId, onchainAgentId: String(row.agentId), ...(record.agentAddress ? {} : { agentAddress: row.agentAddress }) },
    });
  }
  if (row.kind === "deregister" && row.agentId !== null) {
    await db.agent.updateMany({ where: { onchainChainId: row.chainId, onchainAgentId: String(row.agentId) }, data: { onchainChainId: null, onchainAgentId: null } });
  }
}

/** GET /api/agent/register/export: the generated private key, once, after completion. */
export async function exportAgentKey(db: DbOrTx, token: string, now = Date.now()) {
  const { row } = await loadSession(db, token, "register", now);
  if (!(KEY_MODES as readonly string[]).includes(row.mode ?? "")) throw new BadRequestError(`Export not available for mode ${row.mode}`);
  if (row.stage !== "completed") throw new ConflictError(STAGE_CONFLICT);
  if (row.keyExportedAt) throw new ConflictError("Private key already exported");
  if (!row.sealedAgentKey) throw new BadRequestError("No private key held for this session: the agent key was supplied");
  const taken = await db.identitySession.updateMany({ where: { id: row.id, keyExportedAt: null }, data: { keyExportedAt: new Date(now), sealedAgentKey: Prisma.DbNull } });
  if (taken.count === 0) throw new ConflictError("Private key already exported");
  const secret = openSecret(row.sealedAgentKey as unknown as SealedBlob, agentKeyContext(row.id));
  return { privateKey: toHex(secret), agentAddress: row.agentAddress as Address, agentId: row.agentId as number };
}

/** The mock passport sessions' provider check: the session waits for a proof, and the mock passport serves its chain. */
async function mockPassportSession(db: DbOrTx, token: string, origin: string, now: number) {
  const { row, request } = await sessionProofRequest(db, token, origin, now);
  if (row.stage !== "qr-ready") throw new ConflictError(STAGE_CONFLICT);
  const provider = proofProviderFor(db, await identityChain(db, row.chainId));
  if (provider.name !== MOCK_PASSPORT_PROVIDER) throw new NotConfiguredError();
  return { row, request, provider };
}

export type Member = { userId: string; organizationId: string | null };

/** POST /api/v1/identity/mock-passport/challenge: the passkey challenge the member answers before the scan. */
export async function mockPassportChallenge(db: DbOrTx, token: string, member: Member, origin: string, now = Date.now()) {
  const { row } = await mockPassportSession(db, token, origin, now);
  return memberAssertionChallenge(db, row, member.userId, member.organizationId);
}

/**
 * POST /api/v1/identity/mock-passport: the mock passport page's "scan" — verifies the member's
 * passkey assertion (`assertionHeader`), then a signed mock proof for the session naming the member.
 */
export async function scanMockPassport(db: DbOrTx, token: string, doc: MockDocument, member: Member, assertionHeader: string | null, origin: string, now = Date.now()) {
  const { row, request, provider } = await mockPassportSession(db, token, origin, now);
  await recordMemberAssertion(db, row, member.userId, member.organizationId, assertionHeader, new Date(now));
  const proof = await signMockProof(await providerAccount(db, provider.keyName), request, doc, member.userId, new Date(now));
  return { proof, callbackUrl: request.callbackUrl };
}

/**
 * The dashboard's "Verify as human": a registration for one Countersign agent record, wallet-free (the
 * token goes to the agent's address) or smartwallet (to the member's passkey account).
 */
export async function startAgentVerification(
  db: DbOrTx,
  organizationId: string,
  recordId: string,
  input: Target & { disclosures?: Disclosures; mode?: "wallet-free" | "smartwallet"; passkeyPublicKey?: string },
  origin: string,
  now = Date.now(),
) {
  const record = await getAgentRow(db, organizationId, recordId);
  if (record.onchainChainId !== null && record.onchainAgentId !== null) throw new ConflictError("Agent already has an on-chain identity");
  const name = record.name.replace(/["\\\u0000-\u001f]/g, "").slice(0, 100) || undefined;
  return createRegisterSession(
    db,
    { ...input, mode: input.mode ?? "wallet-free", agentAddress: (record.agentAddress ?? undefined) as Address | undefined, name, description: `Countersign agent ${record.name}`.replace(/["\\\u0000-\u001f]/g, "").slice(0, 300), agentRecordId: record.id },
    origin,
    now,
  );
}
