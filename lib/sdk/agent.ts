/**
 * The agent SDK: holds the agent's key share and API key, and runs Signer+Server signing against a
 * Countersign server. It never signs blind: before running its party it recomputes the digest from
 * what the server says it will co-sign and checks that it is what the agent asked for.
 */
import { getAddress, hashMessage, hashTypedData, type Hex, type TypedDataDefinition } from "viem";
import { signingHash } from "@/lib/chain/tx-codec";
import { PRODUCTION, type KeyShare, type SecurityProfile } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { driveCeremony, type CeremonyResponse, type CeremonyTransport } from "@/lib/signing/driver";
import { localSignParty } from "@/lib/signing/local-party";
import { txFromJson, type TxJson } from "@/lib/signing/transaction-json";

export type PendingApproval = { sessionId: string; signingRequestId: string; expiresAt: string; reasons: string[] };
export type AgentOptions = {
  baseUrl: string;
  apiKey: string;
  share: KeyShare;
  profile?: SecurityProfile;
  fetch?: typeof fetch;
  /** Called once when a guardrail rule parks a session for a human's approval; the SDK then waits. */
  onPendingApproval?: (p: PendingApproval) => void;
  /** Polling while a session waits for approval: first delay, growing ×1.5 up to maxMs. */
  approvalPoll?: { initialMs?: number; maxMs?: number };
};
export type TransactionRequest = { to: string | null; value?: bigint; data?: Hex; nonce?: number; gas?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint };

export class CountersignApiError extends Error {
  constructor(readonly status: number, readonly body: { statusCode?: number; message?: string; violations?: { policyId?: string; type?: string; message: string }[] }) {
    super(body.message ?? `HTTP ${status}`);
  }
}

export type PolicyViolation = { policyId: string; type: string; message: string };

/** The server refused to co-sign: 403 "Policy violation" listing every violated guardrail. */
export class PolicyViolationError extends CountersignApiError {
  override name = "PolicyViolationError";
  readonly violations: PolicyViolation[];
  constructor(status: number, body: CountersignApiError["body"]) {
    super(status, body);
    this.violations = (body.violations ?? []) as PolicyViolation[];
  }
}

/** A session parked for approval ended without being approved (rejected, expired or aborted). */
export class ApprovalRejectedError extends Error {
  override name = "ApprovalRejectedError";
  constructor(readonly sessionId: string, readonly status: string, readonly signingRequestId: string | null) {
    super(status === "rejected" ? "The signing request was rejected by an approver" : `The signing request was not approved (session ${status})`);
  }
}

export class TamperedSessionError extends Error {}

type Session = {
  sessionId: string;
  messageHash: Hex;
  signers: number[];
  party: number;
  sid: string;
  transaction: TxJson | null;
  messages: { seq: string; message: unknown }[];
  status?: "open" | "pending_approval";
  signingRequestId?: string;
  expiresAt?: string;
  approvals?: string[];
};
type SessionStatus = { sessionId: string; status: string; signingRequestId: string | null; messageHash: Hex; sid: string; signers: number[]; messages: { seq: string; message: unknown }[] };

const randomHex = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");

export class CountersignAgent {
  private readonly fetch: typeof fetch;
  private readonly profile: SecurityProfile;
  constructor(private readonly opts: AgentOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.profile = opts.profile ?? PRODUCTION;
    if (opts.share.core.index !== 0) throw new Error("The agent holds party 0's share");
    ensureBackendSelected();
  }

  private async call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(new URL(path, this.opts.baseUrl), {
      method,
      headers: { "x-api-key": this.opts.apiKey, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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
  private async awaitApproval(session: Session): Promise<Session> {
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
      if (s.messageHash !== session.messageHash || s.sid !== session.sid || s.signers.join() !== session.signers.join()) throw new TamperedSessionError("The approved session differs from the one the server opened");
      return { ...session, status: "open", messages: s.messages };
    }
  }

  status() {
    return this.call<{ signer: { id: string; name: string; status: string; chainId: number; address: string | null } }>("GET", "/api/v1/signer");
  }

  private transport(sessionId: string): CeremonyTransport {
    return {
      submit: ({ seq, messages, after }) => this.call<CeremonyResponse>("POST", "/api/v1/sign/round", { sessionId, seq, messages, after }),
      poll: ({ after }) => this.call<CeremonyResponse>("POST", "/api/v1/sign/round", { sessionId, seq: 0, messages: [], after }),
    };
  }

  private async run(session: Session): Promise<void> {
    const party = localSignParty({ share: this.opts.share, signers: session.signers, messageHash: session.messageHash.slice(2), sid: session.sid, profile: this.profile });
    await driveCeremony({ transport: this.transport(session.sessionId), parties: [party], initial: session.messages as never, pollIntervalMs: 50 });
  }

  /** Signs and broadcasts a transaction; resolves with its hash once the network accepted it. */
  async sendTransaction(tx: TransactionRequest): Promise<{ txHash: Hex; from: string; chainId: number }> {
    const dec = (v: bigint | undefined) => (v === undefined ? undefined : v.toString());
    const session = await this.call<Session>("POST", "/api/v1/sign/session", {
      transaction: { to: tx.to, value: dec(tx.value), data: tx.data, nonce: tx.nonce, gas: dec(tx.gas), maxFeePerGas: dec(tx.maxFeePerGas), maxPriorityFeePerGas: dec(tx.maxPriorityFeePerGas) },
      clientNonce: randomHex(32),
    });
    const filled = session.transaction;
    if (!filled) throw new TamperedSessionError("The server opened a message session for a transaction");
    const unsigned = txFromJson(filled);
    const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : getAddress(a) === getAddress(b));
    if (!same(unsigned.to, tx.to) || unsigned.value !== (tx.value ?? 0n) || unsigned.data.toLowerCase() !== (tx.data ?? "0x").toLowerCase()) {
      throw new TamperedSessionError("The server's transaction differs from the one requested");
    }
    if (signingHash(unsigned) !== session.messageHash) throw new TamperedSessionError("The server's digest does not match its transaction");
    await this.run(await this.awaitApproval(session));
    return this.call("POST", "/api/v1/sign/complete", { sessionId: session.sessionId });
  }

  /** EIP-191 personal message (a string, or { raw } bytes). */
  async signMessage(message: string | { raw: Hex }): Promise<{ v: number; r: Hex; s: Hex; signature: Hex; address: string }> {
    const session = await this.call<Session>("POST", "/api/v1/sign-message/session", { message, clientNonce: randomHex(32) });
    if (hashMessage(message) !== session.messageHash) throw new TamperedSessionError("The server's digest does not match the message");
    await this.run(await this.awaitApproval(session));
    return this.call("POST", "/api/v1/sign-message/complete", { sessionId: session.sessionId });
  }

  async signTypedData(typedData: TypedDataDefinition): Promise<{ v: number; r: Hex; s: Hex; signature: Hex; address: string }> {
    const session = await this.call<Session>("POST", "/api/v1/sign-message/session", { typedData: JSON.parse(JSON.stringify(typedData, (_k, v) => (typeof v === "bigint" ? v.toString() : v))), clientNonce: randomHex(32) });
    if (hashTypedData(typedData) !== session.messageHash) throw new TamperedSessionError("The server's digest does not match the typed data");
    await this.run(await this.awaitApproval(session));
    return this.call("POST", "/api/v1/sign-message/complete", { sessionId: session.sessionId });
  }
}
