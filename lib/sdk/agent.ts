/**
 * The agent SDK: holds the agent's key share and API key, and runs Signer+Server signing against a
 * Countersign server. It never signs blind: before running its party it recomputes the digest from
 * what the server says it will co-sign, checks that it is what the agent asked for, and re-derives the
 * session id from both nonces (lib/signing/verify-session.ts, shared with the browser).
 */
import type { Hex, TypedDataDefinition } from "viem";
import { ApprovalRejectedError, CountersignApiError, PolicyViolationError } from "./errors";
import { NoncePool, ownPaillierKey, PRODUCTION, scaleDemand, signSessionNonceDemand, type KeyShare, type SecurityProfile } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { driveCeremony, type CeremonyResponse, type CeremonyTransport } from "@/lib/signing/driver";
import { localSignParty } from "@/lib/signing/local-party";
import { identityPublicKey, newIdentityKey } from "@/lib/signing/message-auth";
import type { TxJson } from "@/lib/signing/transaction-json";
import { PARTY_INDEX } from "@/lib/signing/participants";
import { TamperedSessionError, verifySigningSession, type SigningIntent, type VerifiedSession } from "@/lib/signing/verify-session";

export { TamperedSessionError };
export { ApprovalRejectedError, CountersignApiError, PolicyViolationError, type PolicyViolation } from "./errors";

export type PendingApproval = { sessionId: string; signingRequestId: string; expiresAt: string; reasons: string[] };
export type AgentOptions = {
  /**
   * The server, or several instances of it (one database behind them): a call that cannot reach one
   * instance, or that it answers 502/503/504, is retried on the next (see `retry`).
   */
  baseUrl: string | readonly string[];
  apiKey: string;
  share: KeyShare;
  /** The signer's id and chain (the share file's signerId, chainId): the keyId of every session id, and the chain every transaction must be for. Asked from the server once when absent. */
  signerId?: string;
  chainId?: number;
  /** The agent's long-term identity (the share file's `identity`): registered on the signer at key generation, it signs every session. Without it each session gets a fresh key (signers from before long-term identities). */
  identity?: Uint8Array;
  /** The server's Ed25519 identity (hex), if pinned: sessions whose server signs as anyone else are refused. */
  serverIdentityKey?: string;
  profile?: SecurityProfile;
  fetch?: typeof fetch;
  /** Called once when a guardrail rule parks a session for a human's approval; the SDK then waits. */
  onPendingApproval?: (p: PendingApproval) => void;
  /** Polling while a session waits for approval: first delay, growing ×1.5 up to maxMs. */
  approvalPoll?: { initialMs?: number; maxMs?: number };
  /**
   * Failover: calls that are safe to repeat (rounds — idempotent by their sequence number —, polls,
   * status, complete) are retried on connection errors and 502/503/504, on the next base URL, with
   * backoff from initialDelayMs doubling up to maxDelayMs (or the server's Retry-After, capped
   * likewise), until timeoutMs has passed. Opening a session is retried only when the request never
   * reached a server (connection refused), so a retry never opens a second session.
   */
  retry?: { timeoutMs?: number; initialDelayMs?: number; maxDelayMs?: number };
  /**
   * Signing sessions' worth of Paillier nonces (r, r^N mod N²; spec §6.4) computed in the background
   * from start-up and after each session, kept only in this process's memory and each used once.
   * Default 1; 0 computes every nonce during the session.
   */
  precomputeNonces?: number;
};
export type TransactionRequest = { to: string | null; value?: bigint; data?: Hex; nonce?: number; gas?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint };

type Session = {
  sessionId: string;
  identities?: Record<string, string>;
  messageHash: Hex;
  signers: number[];
  party: number;
  sid: string;
  serverNonce?: string;
  clientNonce?: string;
  transaction: TxJson | null;
  messages: { seq: string; message: unknown }[];
  status?: "open" | "pending_approval";
  signingRequestId?: string;
  expiresAt?: string;
  approvals?: string[];
};
/** GET /api/v1/signer's `agent`: the agent the signer belongs to. */
export type AgentRecord = {
  id: string;
  name: string;
  description: string | null;
  status: "active" | "paused" | "retired";
  identifiers: { signetSid: string | null; aegisAgentId: string | null; onchain: { chainId: number; agentId: string } | null; agentAddress: string | null; turnkeyWalletId: string | null };
  pausedAt: string | null;
};

type SessionStatus = {
  sessionId: string;
  identities?: Record<string, string>;
  status: string;
  signingRequestId: string | null;
  messageHash: Hex;
  sid: string;
  serverNonce?: string;
  clientNonce?: string;
  signers: number[];
  party?: number;
  transaction: TxJson | null;
  messages: { seq: string; message: unknown }[];
};

/** Codes of a request that never left: no server saw it, so even a non-idempotent call may be sent again. */
const NOT_DELIVERED = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
function notDelivered(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && typeof e === "object" && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NOT_DELIVERED.has(code)) return true;
  }
  return false;
}
const RETRIED_STATUS = new Set([502, 503, 504]);
/** How a call may be repeated: `idempotent` on any failure to get an answer, `create` only when it was never delivered. */
type Repeat = "idempotent" | "create";

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");

export class CountersignAgent {
  private readonly fetch: typeof fetch;
  private readonly profile: SecurityProfile;
  private readonly baseUrls: string[];
  /** The instance calls go to first; moves on when one fails. */
  private current = 0;
  private signer?: Promise<{ id: string; chainId: number }>;
  /** Precomputed Paillier nonces for the agent's sessions ({agent, server}). */
  readonly nonces = new NoncePool();
  private filling: Promise<number> | null = null;
  constructor(private readonly opts: AgentOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.profile = opts.profile ?? PRODUCTION;
    this.baseUrls = typeof opts.baseUrl === "string" ? [opts.baseUrl] : [...opts.baseUrl];
    if (this.baseUrls.length === 0) throw new Error("baseUrl: at least one server");
    if (opts.share.core.index !== 0) throw new Error("The agent holds party 0's share");
    ensureBackendSelected();
    void this.prepareNonces().catch(() => undefined);
  }

  /**
   * Tops the in-memory nonce pool up to `precomputeNonces` sessions (one nonce per macrotask, so
   * calls keep flowing); resolves with how many were added. Runs at start-up and after each session.
   */
  prepareNonces(): Promise<number> {
    const sessions = this.opts.precomputeNonces ?? 1;
    if (sessions <= 0) return Promise.resolve(0);
    if (this.filling) return this.filling;
    const own = ownPaillierKey(this.opts.share);
    const demand = scaleDemand(signSessionNonceDemand(this.opts.share, [0, 1], this.profile), sessions);
    this.filling = this.nonces.fill(demand, { key: (N) => (N === own.N ? own : undefined) }).finally(() => {
      this.filling = null;
    });
    return this.filling;
  }

  /**
   * Joins a signer's key generation with the invitation the dashboard showed (`cs-join:v1:…`): runs
   * the agent's party here and returns its share and the signer's API key (lib/sdk/join.ts).
   */
  static async join(invitation: string, opts: import("./join").JoinOptions = {}): Promise<import("./join").JoinResult> {
    const { joinSigner } = await import("./join");
    return joinSigner(invitation, opts);
  }

  /** One request, failing over between the base URLs as `repeat` allows (AgentOptions.retry). */
  private async send(method: "GET" | "POST", path: string, body: unknown, repeat: Repeat): Promise<Response> {
    const timeoutMs = this.opts.retry?.timeoutMs ?? 30_000;
    const maxDelay = this.opts.retry?.maxDelayMs ?? 2000;
    let delay = this.opts.retry?.initialDelayMs ?? 200;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const base = this.baseUrls[this.current % this.baseUrls.length]!;
      let wait = delay;
      try {
        const res = await this.fetch(new URL(path, base), {
          method,
          headers: { "x-api-key": this.opts.apiKey, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        // A 503 of opening a session may come after the session was stored: not repeated.
        if (!RETRIED_STATUS.has(res.status) || repeat !== "idempotent" || Date.now() >= deadline) return res;
        const retryAfter = Number(res.headers.get("retry-after"));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
        await res.body?.cancel().catch(() => undefined);
      } catch (err) {
        if ((repeat === "create" && !notDelivered(err)) || Date.now() >= deadline) throw err;
      }
      // Another instance may answer where this one did not; after trying each, wait.
      this.current++;
      if ((attempt + 1) % this.baseUrls.length === 0) {
        await new Promise((r) => setTimeout(r, Math.min(wait, maxDelay, Math.max(0, deadline - Date.now()))));
        delay = Math.min(maxDelay, delay * 2);
      }
    }
  }

  private async call<T>(method: "GET" | "POST", path: string, body?: unknown, repeat: Repeat = "idempotent"): Promise<T> {
    const res = await this.send(method, path, body, repeat);
    const json = (await res.json().catch(() => ({}))) as T & { message?: string };
    if (!res.ok) {
      const body = json as CountersignApiError["body"];
      if (res.status === 403 && Array.isArray(body.violations) && body.violations.length > 0) throw new PolicyViolationError(res.status, body);
      throw new CountersignApiError(res.status, body);
    }
    return json;
  }

  /**
   * Waits while a guardrail rule holds the session for a human: polls its status with backoff until
   * it is open (then the rounds run as usual) or ends (ApprovalRejectedError). The digest was
   * already checked against what the agent asked for, and is checked again on the opened session.
   */
  private async awaitApproval(session: Session, verify: (s: SessionStatus) => VerifiedSession, verified: VerifiedSession): Promise<Session> {
    if (session.status !== "pending_approval") return session;
    this.opts.onPendingApproval?.({ sessionId: session.sessionId, signingRequestId: session.signingRequestId ?? "", expiresAt: session.expiresAt ?? "", reasons: session.approvals ?? [] });
    let delay = this.opts.approvalPoll?.initialMs ?? 1000;
    const max = this.opts.approvalPoll?.maxMs ?? 15_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(max, Math.ceil(delay * 1.5));
      const s = await this.call<SessionStatus>("GET", `/api/v1/sign/session/${session.sessionId}`);
      if (s.status === "pending_approval") continue;
      if (s.status !== "open") throw new ApprovalRejectedError(session.sessionId, s.status, s.signingRequestId);
      const again = verify(s);
      if (again.messageHash !== verified.messageHash || again.sid !== verified.sid) throw new TamperedSessionError("The approved session differs from the one the server opened", "sid");
      return { ...session, status: "open", messages: s.messages };
    }
  }

  /** The signer this API key belongs to, and its agent (the Agent registry record; null on older servers). */
  status() {
    return this.call<{ signer: { id: string; name: string; status: string; chainId: number; address: string | null; agentId?: string | null }; agent?: AgentRecord | null }>("GET", "/api/v1/signer");
  }

  private transport(sessionId: string): CeremonyTransport {
    return {
      submit: ({ seq, messages, after }) => this.call<CeremonyResponse>("POST", "/api/v1/sign/round", { sessionId, seq, messages, after }),
      poll: ({ after }) => this.call<CeremonyResponse>("POST", "/api/v1/sign/round", { sessionId, seq: 0, messages: [], after }),
      report: ({ blame }) => this.call("POST", "/api/v1/sign/round", { sessionId, seq: 0, messages: [], after: "0", abort: blame }),
    };
  }

  /** This signer's id (the keyId of its session ids) and chain. */
  private signerInfo(): Promise<{ id: string; chainId: number }> {
    const { signerId, chainId } = this.opts;
    if (signerId && chainId !== undefined) return Promise.resolve({ id: signerId, chainId });
    this.signer ??= this.status().then((r) => ({ id: signerId ?? r.signer.id, chainId: chainId ?? r.signer.chainId }));
    return this.signer;
  }

  /**
   * Opens a session and verifies it before anything is signed: the digest recomputed from the intent,
   * the signer set, the echoed nonce and the re-derived sid (TamperedSessionError on any difference);
   * waits for approval when parked (checking the opened session again), then runs the agent's party
   * on the values it computed itself — never the server's.
   */
  private async signSession(path: string, body: object, intentFor: (chainId: number) => SigningIntent): Promise<Session> {
    const clientNonce = randomHex(32);
    // Authenticated blame: every message the agent sends is signed with its long-term identity (or,
    // for a signer from before those, a fresh one for this session).
    const identity = this.opts.identity ? { secretKey: this.opts.identity.slice(), publicKey: identityPublicKey(this.opts.identity) } : newIdentityKey();
    const session = await this.call<Session>("POST", path, { ...body, clientNonce, identityKey: identity.publicKey }, "create");
    const { id: keyId, chainId } = await this.signerInfo();
    const intent = intentFor(chainId);
    const verify = (s: SessionStatus | Session) => verifySigningSession(s, { keyId, party: PARTY_INDEX.agent, clientNonce, intent, identityKey: identity.publicKey });
    const verified = verify(session);
    const identities = verified.identities!;
    if (this.opts.serverIdentityKey && identities[PARTY_INDEX.server] !== this.opts.serverIdentityKey) throw new TamperedSessionError("The server signs as another identity than the one pinned (serverIdentityKey)", "identity");
    const opened = await this.awaitApproval(session, verify, verified);
    try {
      await this.run(opened, verified, { identities, identity });
    } finally {
      identity.secretKey.fill(0);
    }
    return opened;
  }

  private async run(session: Session, verified: VerifiedSession, auth: { identities: Record<string, string>; identity: { secretKey: Uint8Array } }): Promise<void> {
    const party = localSignParty({ share: this.opts.share, signers: verified.signers, messageHash: verified.messageHash.slice(2), sid: verified.sid, profile: this.profile, identities: auth.identities, identity: auth.identity, nonces: this.nonces });
    try {
      await driveCeremony({ transport: this.transport(session.sessionId), parties: [party], initial: session.messages as never, pollIntervalMs: 50 });
    } finally {
      void this.prepareNonces().catch(() => undefined);
    }
  }

  /** Signs and broadcasts a transaction; resolves with its hash once the network accepted it. */
  async sendTransaction(tx: TransactionRequest): Promise<{ txHash: Hex; from: string; chainId: number }> {
    const dec = (v: bigint | undefined) => (v === undefined ? undefined : v.toString());
    const session = await this.signSession(
      "/api/v1/sign/session",
      { transaction: { to: tx.to, value: dec(tx.value), data: tx.data, nonce: tx.nonce, gas: dec(tx.gas), maxFeePerGas: dec(tx.maxFeePerGas), maxPriorityFeePerGas: dec(tx.maxPriorityFeePerGas) } },
      (chainId) => ({ kind: "transaction", chainId, ...tx }),
    );
    return this.call("POST", "/api/v1/sign/complete", { sessionId: session.sessionId });
  }

  /** EIP-191 personal message (a string, or { raw } bytes). */
  async signMessage(message: string | { raw: Hex }): Promise<{ v: number; r: Hex; s: Hex; signature: Hex; address: string }> {
    const session = await this.signSession("/api/v1/sign-message/session", { message }, () => ({ kind: "message", message }));
    return this.call("POST", "/api/v1/sign-message/complete", { sessionId: session.sessionId });
  }

  async signTypedData(typedData: TypedDataDefinition): Promise<{ v: number; r: Hex; s: Hex; signature: Hex; address: string }> {
    const json = JSON.parse(JSON.stringify(typedData, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    const session = await this.signSession("/api/v1/sign-message/session", { typedData: json }, () => ({ kind: "typed_data", typedData }));
    return this.call("POST", "/api/v1/sign-message/complete", { sessionId: session.sessionId });
  }
}
