/**
 * A Turnkey-compatible DEVELOPMENT STAND-IN (not Turnkey). Turnkey's API (api.turnkey.com) cannot be
 * reached from these machines, so this small node:http server answers, for seed 004's Turnkey flows
 * only, the same public API paths and JSON shapes as Turnkey's (as typed by @turnkey/http), and
 * verifies every request's X-Stamp exactly as Turnkey does for API keys: base64url JSON
 * `{ publicKey, scheme: "SIGNATURE_SCHEME_TK_API_P256", signature }`, the signature a DER ECDSA P-256
 * signature over SHA-256 of the exact body, by an API key of a user of the body's organizationId.
 *
 * It holds organizations and sub-organizations, users and their API keys, Ethereum wallets (the keys
 * live here, signing with viem), policies with a consensus expression, and activities with their
 * statuses (COMPLETED, CONSENSUS_NEEDED, REJECTED, FAILED) and votes. Countersign's client code
 * (lib/turnkey) talks to it exactly as it talks to Turnkey: only TURNKEY_API_BASE_URL differs.
 *
 * Policy language: only what Countersign writes — consensus `approvers.any(user, user.id == '<id>')`
 * terms joined by `&&`, condition `activity.type == '<ACTIVITY_TYPE>'` (or none). Root users reach
 * root quorum (and so bypass policies) as on Turnkey.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { p256 } from "@noble/curves/nist.js";
import { parseTransaction, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

type Timestamp = { seconds: string; nanos: string };
type User = { userId: string; userName: string; apiKeys: { apiKeyName: string; publicKey: string }[]; root: boolean };
type Policy = { policyId: string; policyName: string; effect: "EFFECT_ALLOW" | "EFFECT_DENY"; consensus?: string; condition?: string; notes: string };
type Account = { address: string; privateKey: Hex };
type Vote = { id: string; userId: string; user: { userId: string; userName: string }; activityId: string; selection: "VOTE_SELECTION_APPROVED" | "VOTE_SELECTION_REJECTED"; message: string; publicKey: string; signature: string; scheme: string; createdAt: Timestamp };
export type DevActivity = {
  id: string;
  organizationId: string;
  status: string;
  type: string;
  intent: Record<string, unknown>;
  result: Record<string, unknown>;
  votes: Vote[];
  fingerprint: string;
  canApprove: boolean;
  canReject: boolean;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  failure?: { code: number; message: string; details: unknown[] };
};
type Run = () => Record<string, unknown> | Promise<Record<string, unknown>>;
type Org = { id: string; name: string; parentId: string | null; rootQuorumThreshold: number; users: Map<string, User>; wallets: { walletId: string; walletName: string; accounts: Account[] }[]; policies: Policy[]; activities: Map<string, DevActivity> };

class TurnkeyError extends Error {
  constructor(
    readonly http: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
const invalid = (m: string) => new TurnkeyError(400, 3, m);
const unauthenticated = (m: string) => new TurnkeyError(401, 16, m);
const denied = (m: string) => new TurnkeyError(403, 7, m);
const notFound = (m: string) => new TurnkeyError(404, 5, m);

const now = (): Timestamp => {
  const ms = Date.now();
  return { seconds: String(Math.floor(ms / 1000)), nanos: String((ms % 1000) * 1_000_000) };
};
const strip0x = (h: string) => h.replace(/^0x/i, "");

/** Verifies an X-Stamp header against the raw body; returns the stamping public key (compressed hex). */
export function verifyStamp(header: string | undefined, body: string): string {
  if (!header) throw unauthenticated("missing X-Stamp header");
  let stamp: { publicKey?: unknown; scheme?: unknown; signature?: unknown };
  try {
    stamp = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  } catch {
    throw unauthenticated("malformed X-Stamp header");
  }
  if (stamp.scheme !== "SIGNATURE_SCHEME_TK_API_P256" || typeof stamp.publicKey !== "string" || typeof stamp.signature !== "string") throw unauthenticated("unsupported stamp");
  let ok = false;
  try {
    ok = p256.verify(Buffer.from(stamp.signature, "hex"), new TextEncoder().encode(body), Buffer.from(stamp.publicKey, "hex"), { prehash: true, format: "der", lowS: false });
  } catch {
    ok = false;
  }
  if (!ok) throw unauthenticated("could not verify the request's stamp");
  return stamp.publicKey.toLowerCase();
}

const APPROVERS_ANY = /^approvers\.any\(user, user\.id == '([^']+)'\)$/;
const ACTIVITY_TYPE_IS = /^activity\.type == '([A-Z0-9_]+)'$/;

/** The user ids a consensus expression requires (all of them), or an error for anything else. */
export function parseConsensus(expr: string): string[] {
  return expr.split("&&").map((term) => {
    const m = APPROVERS_ANY.exec(term.trim());
    if (!m) throw invalid(`unsupported consensus expression: ${term.trim()}`);
    return m[1]!;
  });
}

function conditionMatches(condition: string | undefined, activity: DevActivity): boolean {
  if (!condition || condition.trim() === "true") return true;
  const m = ACTIVITY_TYPE_IS.exec(condition.trim());
  return !!m && m[1] === activity.type;
}

export class TurnkeyDevServer {
  readonly orgs = new Map<string, Org>();
  private server: Server | null = null;
  url = "";

  /** A parent organization with one root user holding `apiPublicKey` (what Turnkey's dashboard sets up). */
  createOrganization(name: string, apiPublicKey: string): { organizationId: string; userId: string } {
    const org = this.newOrg(name, null, 1);
    const user: User = { userId: randomUUID(), userName: "Root user", apiKeys: [{ apiKeyName: "api key", publicKey: apiPublicKey.toLowerCase() }], root: true };
    org.users.set(user.userId, user);
    return { organizationId: org.id, userId: user.userId };
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private newOrg(name: string, parentId: string | null, rootQuorumThreshold: number): Org {
    const org: Org = { id: randomUUID(), name, parentId, rootQuorumThreshold, users: new Map(), wallets: [], policies: [], activities: new Map() };
    this.orgs.set(org.id, org);
    return org;
  }

  private async serve(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method !== "POST") throw notFound("not found");
      const publicKey = verifyStamp(req.headers["x-stamp"] as string | undefined, raw);
      let body: Record<string, any>;
      try {
        body = JSON.parse(raw);
      } catch {
        throw invalid("request body is not JSON");
      }
      const org = this.orgs.get(String(body.organizationId));
      if (!org) throw notFound(`organization ${String(body.organizationId)} not found`);
      const user = [...org.users.values()].find((u) => u.apiKeys.some((k) => k.publicKey === publicKey));
      if (!user) throw unauthenticated(`public key ${publicKey} is not an API key of a user in organization ${org.id}`);
      reply(200, await this.route(req.url ?? "", org, user, publicKey, body, raw));
    } catch (err) {
      if (err instanceof TurnkeyError) reply(err.http, { code: err.code, message: err.message, details: [] });
      else reply(500, { code: 13, message: (err as Error).message, details: [] });
    }
  }

  private async route(path: string, org: Org, user: User, publicKey: string, body: Record<string, any>, raw: string): Promise<unknown> {
    switch (path) {
      case "/public/v1/query/whoami":
        return { organizationId: org.id, organizationName: org.name, userId: user.userId, username: user.userName };
      case "/public/v1/query/get_activity": {
        const a = org.activities.get(String(body.activityId));
        if (!a) throw notFound(`activity ${String(body.activityId)} not found`);
        return { activity: a };
      }
      case "/public/v1/submit/create_sub_organization":
        return this.submit(org, user, publicKey, body, raw, "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8", "createSubOrganizationIntentV8", () => this.createSubOrg(org, body.parameters));
      case "/public/v1/submit/create_users":
        return this.submit(org, user, publicKey, body, raw, "ACTIVITY_TYPE_CREATE_USERS_V4", "createUsersIntentV4", () => this.createUsers(org, body.parameters));
      case "/public/v1/submit/create_policy":
        return this.submit(org, user, publicKey, body, raw, "ACTIVITY_TYPE_CREATE_POLICY_V3", "createPolicyIntentV3", () => this.createPolicy(org, body.parameters));
      case "/public/v1/submit/sign_transaction":
        return this.submit(org, user, publicKey, body, raw, "ACTIVITY_TYPE_SIGN_TRANSACTION_V2", "signTransactionIntentV2", () => this.signTransaction(org, body.parameters));
      case "/public/v1/submit/approve_activity":
        return this.vote(org, user, publicKey, body, raw, "VOTE_SELECTION_APPROVED");
      case "/public/v1/submit/reject_activity":
        return this.vote(org, user, publicKey, body, raw, "VOTE_SELECTION_REJECTED");
      default:
        throw notFound(`no such endpoint ${path}`);
    }
  }

  private newActivity(org: Org, type: string, intentKey: string, parameters: unknown, raw: string): DevActivity {
    const t = now();
    return {
      id: randomUUID(),
      organizationId: org.id,
      status: "ACTIVITY_STATUS_CREATED",
      type,
      intent: { [intentKey]: parameters },
      result: {},
      votes: [],
      fingerprint: `sha256:${createHash("sha256").update(raw).digest("hex")}`,
      canApprove: false,
      canReject: false,
      createdAt: t,
      updatedAt: t,
    };
  }

  private voteOf(user: User, publicKey: string, activity: DevActivity, selection: Vote["selection"], raw: string): Vote {
    return { id: randomUUID(), userId: user.userId, user: { userId: user.userId, userName: user.userName }, activityId: activity.id, selection, message: raw, publicKey, signature: "", scheme: "SIGNATURE_SCHEME_TK_API_P256", createdAt: now() };
  }

  /** A new activity with the creator's approving vote, run now if its votes reach consensus. */
  private async submit(org: Org, user: User, publicKey: string, body: Record<string, any>, raw: string, type: string, intentKey: string, run: Run) {
    if (body.type !== type) throw invalid(`expected type ${type}`);
    if (!body.parameters || typeof body.parameters !== "object") throw invalid("parameters are required");
    if (typeof body.timestampMs !== "string" || !/^\d+$/.test(body.timestampMs)) throw invalid("timestampMs is required");
    const activity = this.newActivity(org, type, intentKey, body.parameters, raw);
    activity.votes.push(this.voteOf(user, publicKey, activity, "VOTE_SELECTION_APPROVED", raw));
    org.activities.set(activity.id, activity);
    await this.settle(org, activity, run);
    return { activity };
  }

  private run: WeakMap<DevActivity, Run> = new WeakMap();

  /** Root quorum, or an ALLOW policy matching the activity whose consensus the votes meet. */
  private consensusMet(org: Org, activity: DevActivity): boolean {
    const approvers = new Set(activity.votes.filter((v) => v.selection === "VOTE_SELECTION_APPROVED").map((v) => v.userId));
    const roots = [...org.users.values()].filter((u) => u.root && approvers.has(u.userId)).length;
    if (roots >= org.rootQuorumThreshold) return true;
    const matching = org.policies.filter((p) => conditionMatches(p.condition, activity));
    if (matching.some((p) => p.effect === "EFFECT_DENY")) return false;
    return matching.some((p) => p.effect === "EFFECT_ALLOW" && (p.consensus ? parseConsensus(p.consensus).every((id) => approvers.has(id)) : true));
  }

  private async settle(org: Org, activity: DevActivity, run: Run) {
    if (!this.consensusMet(org, activity)) {
      activity.status = "ACTIVITY_STATUS_CONSENSUS_NEEDED";
      activity.canApprove = true;
      activity.canReject = true;
      this.run.set(activity, run);
      return;
    }
    try {
      activity.result = await run();
      activity.status = "ACTIVITY_STATUS_COMPLETED";
    } catch (err) {
      activity.status = "ACTIVITY_STATUS_FAILED";
      activity.failure = { code: err instanceof TurnkeyError ? err.code : 13, message: (err as Error).message, details: [] };
    }
    activity.canApprove = false;
    activity.canReject = false;
    activity.updatedAt = now();
  }

  private async vote(org: Org, user: User, publicKey: string, body: Record<string, any>, raw: string, selection: Vote["selection"]) {
    const approve = selection === "VOTE_SELECTION_APPROVED";
    const type = approve ? "ACTIVITY_TYPE_APPROVE_ACTIVITY" : "ACTIVITY_TYPE_REJECT_ACTIVITY";
    if (body.type !== type) throw invalid(`expected type ${type}`);
    const fingerprint = String(body.parameters?.fingerprint ?? "");
    const target = [...org.activities.values()].find((a) => a.fingerprint === fingerprint);
    if (!target) throw notFound(`no activity with fingerprint ${fingerprint}`);
    if (target.status !== "ACTIVITY_STATUS_CONSENSUS_NEEDED") throw invalid(`activity ${target.id} is ${target.status}, it cannot be voted on`);
    if (target.votes.some((v) => v.userId === user.userId)) throw denied(`user ${user.userId} already voted on activity ${target.id}`);
    target.votes.push(this.voteOf(user, publicKey, target, selection, raw));
    target.updatedAt = now();
    if (approve) await this.settle(org, target, this.run.get(target)!);
    else {
      target.status = "ACTIVITY_STATUS_REJECTED";
      target.canApprove = false;
      target.canReject = false;
    }
    const own = this.newActivity(org, type, approve ? "approveActivityIntent" : "rejectActivityIntent", body.parameters, raw);
    own.votes.push(this.voteOf(user, publicKey, own, "VOTE_SELECTION_APPROVED", raw));
    own.status = "ACTIVITY_STATUS_COMPLETED";
    org.activities.set(own.id, own);
    return { activity: own };
  }

  private apiKeysOf(params: { apiKeys?: { apiKeyName?: string; publicKey?: string; curveType?: string }[] }) {
    return (params.apiKeys ?? []).map((k) => {
      if (k.curveType !== "API_KEY_CURVE_P256" || typeof k.publicKey !== "string" || !/^0[23][0-9a-fA-F]{64}$/.test(k.publicKey)) throw invalid("API keys must be compressed P-256 public keys (API_KEY_CURVE_P256)");
      return { apiKeyName: String(k.apiKeyName ?? "api key"), publicKey: k.publicKey.toLowerCase() };
    });
  }

  private createSubOrg(parent: Org, p: Record<string, any>) {
    if (parent.parentId) throw denied("only a parent organization creates sub-organizations");
    const rootUsers = Array.isArray(p.rootUsers) ? p.rootUsers : [];
    if (rootUsers.length === 0) throw invalid("rootUsers is required");
    const threshold = Number(p.rootQuorumThreshold);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > rootUsers.length) throw invalid("rootQuorumThreshold must be between 1 and the number of root users");
    const sub = this.newOrg(String(p.subOrganizationName ?? "sub-organization"), parent.id, threshold);
    const rootUserIds = rootUsers.map((u: Record<string, any>) => {
      const user: User = { userId: randomUUID(), userName: String(u.userName ?? "user"), apiKeys: this.apiKeysOf(u), root: true };
      sub.users.set(user.userId, user);
      return user.userId;
    });
    let wallet: { walletId: string; addresses: string[] } | undefined;
    if (p.wallet) {
      const accounts = (p.wallet.accounts ?? []).map((a: Record<string, any>) => {
        if (a.curve !== "CURVE_SECP256K1" || a.addressFormat !== "ADDRESS_FORMAT_ETHEREUM") throw invalid("this development server makes Ethereum (secp256k1) accounts only");
        const privateKey = generatePrivateKey();
        return { address: privateKeyToAccount(privateKey).address, privateKey };
      });
      const w = { walletId: randomUUID(), walletName: String(p.wallet.walletName ?? "wallet"), accounts };
      sub.wallets.push(w);
      wallet = { walletId: w.walletId, addresses: accounts.map((a: Account) => a.address) };
    }
    return { createSubOrganizationResultV8: { subOrganizationId: sub.id, ...(wallet ? { wallet } : {}), rootUserIds } };
  }

  private createUsers(org: Org, p: Record<string, any>) {
    const userIds = (Array.isArray(p.users) ? p.users : []).map((u: Record<string, any>) => {
      const user: User = { userId: randomUUID(), userName: String(u.userName ?? "user"), apiKeys: this.apiKeysOf(u), root: false };
      org.users.set(user.userId, user);
      return user.userId;
    });
    return { createUsersResult: { userIds } };
  }

  private createPolicy(org: Org, p: Record<string, any>) {
    if (p.effect !== "EFFECT_ALLOW" && p.effect !== "EFFECT_DENY") throw invalid("effect must be EFFECT_ALLOW or EFFECT_DENY");
    if (p.consensus) for (const id of parseConsensus(String(p.consensus))) if (!org.users.has(id)) throw invalid(`consensus names unknown user ${id}`);
    if (p.condition && String(p.condition).trim() !== "true" && !ACTIVITY_TYPE_IS.test(String(p.condition).trim())) throw invalid(`unsupported condition: ${String(p.condition)}`);
    const policy: Policy = { policyId: randomUUID(), policyName: String(p.policyName ?? "policy"), effect: p.effect, consensus: p.consensus, condition: p.condition, notes: String(p.notes ?? "") };
    org.policies.push(policy);
    return { createPolicyResult: { policyId: policy.policyId } };
  }

  private async signTransaction(org: Org, p: Record<string, any>) {
    if (p.type !== "TRANSACTION_TYPE_ETHEREUM") throw invalid("only TRANSACTION_TYPE_ETHEREUM is supported here");
    const signWith = String(p.signWith ?? "").toLowerCase();
    const account = org.wallets.flatMap((w) => w.accounts).find((a) => a.address.toLowerCase() === signWith);
    if (!account) throw notFound(`no wallet account ${p.signWith} in organization ${org.id}`);
    const unsigned = `0x${strip0x(String(p.unsignedTransaction ?? ""))}` as Hex;
    let tx;
    try {
      tx = parseTransaction(unsigned);
    } catch (err) {
      throw invalid(`unsignedTransaction is not a serialized Ethereum transaction: ${(err as Error).message.split("\n")[0]}`);
    }
    const signed = await privateKeyToAccount(account.privateKey).signTransaction(tx as never);
    return { signTransactionResult: { signedTransaction: strip0x(signed) } };
  }
}

/** Starts a stand-in with one parent organization whose root user holds `apiPublicKey`. */
export async function startTurnkeyDevServer(opts: { apiPublicKey: string; port?: number; host?: string }) {
  const server = new TurnkeyDevServer();
  const { organizationId, userId } = server.createOrganization("Countersign (development stand-in)", opts.apiPublicKey);
  const url = await server.listen(opts.port ?? 0, opts.host);
  return { server, url, organizationId, userId };
}
