/**
 * Callback verification (seed 001, POST /agents/{sid}/verify and …/verify/confirm). The server POSTs
 * `{ challenge_token, sid }` to an HTTPS URL the operator names, so the URL must not become a way into
 * the server's own network (SSRF): the host is resolved once, every address it resolves to must be
 * public (the push guard's list: loopback, private, link-local, CGNAT, multicast, reserved and
 * IPv4-mapped IPv6), and the connection is pinned to the checked address (no second lookup, so DNS
 * rebinding cannot swap it). No redirects, a 5 s timeout, at most 64 KiB of answer read.
 * Tokens: 64 hex, single use, 10 minutes, only SHA-256 stored.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as dns } from "node:dns";
import { request } from "node:https";
import { isIP } from "node:net";
import type { Db } from "@/lib/db/client";
import { isReservedAddress } from "@/lib/push/endpoint-guard";
import { ApiError, BadRequestError } from "@/lib/http/errors";
import { recordAudit } from "@/lib/audit/record";
import type { Actor, Found } from "./store";
import { IDENTITY_LABELS } from "./model";

export const CHALLENGE_TTL_SECONDS = 600;
export const CALLBACK_TIMEOUT_MS = 5000;
export const CALLBACK_MAX_RESPONSE_BYTES = 64 * 1024;

export const CALLBACK_ERRORS = {
  required: "callbackUrl is required",
  https: "callbackUrl must use HTTPS",
  private: "callbackUrl must not resolve to a private address",
  tokenRequired: "challenge_token is required",
  tokenInvalid: "Invalid or expired challenge token",
} as const;

export type ResolvedAddress = { address: string; family: 4 | 6 };

/**
 * How callbacks reach the network: the resolver (the system's DNS by default), extra trusted CAs,
 * and addresses exempt from the private-address rule. Tests swap in a resolver they control and a
 * local HTTPS receiver's certificate through this same interface.
 */
export type CallbackTransport = { resolve: (hostname: string) => Promise<ResolvedAddress[]>; ca?: string | Buffer; allowAddresses?: readonly string[] };

const systemTransport: CallbackTransport = {
  resolve: async (hostname) => (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })),
};
let transport = systemTransport;

export function useCallbackTransport(t: CallbackTransport | null): void {
  transport = t ?? systemTransport;
}

export class CallbackDeliveryError extends ApiError {
  constructor(message: string) {
    super(502, message);
  }
}

/** Validates the URL and resolves it once: the one public address to connect to. */
export async function checkCallbackUrl(raw: unknown): Promise<{ url: URL; pinned: ResolvedAddress }> {
  if (typeof raw !== "string" || raw.trim() === "") throw new BadRequestError(CALLBACK_ERRORS.required);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequestError(CALLBACK_ERRORS.https);
  }
  if (url.protocol !== "https:") throw new BadRequestError(CALLBACK_ERRORS.https);
  if (url.username || url.password) throw new BadRequestError(CALLBACK_ERRORS.https);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await transport.resolve(host);
    } catch {
      throw new BadRequestError(CALLBACK_ERRORS.private);
    }
  }
  const allowed = (a: ResolvedAddress) => transport.allowAddresses?.includes(a.address) ?? false;
  if (addresses.length === 0 || addresses.some((a) => isReservedAddress(a.address) && !allowed(a))) throw new BadRequestError(CALLBACK_ERRORS.private);
  return { url, pinned: addresses[0]! };
}

/** POSTs the challenge to the pinned address: no redirects, 5 s, answer capped at 64 KiB. */
export function deliverChallenge(url: URL, pinned: ResolvedAddress, body: { challenge_token: string; sid: string }): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "user-agent": "Countersign-Signet-Verify/1" },
        ca: transport.ca,
        timeout: CALLBACK_TIMEOUT_MS,
        agent: false,
        lookup: ((_h: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
          opts?.all ? cb(null, [{ address: pinned.address, family: pinned.family }]) : cb(null, pinned.address, pinned.family)) as never,
      },
      (res) => {
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > CALLBACK_MAX_RESPONSE_BYTES) {
            res.destroy();
            reject(new CallbackDeliveryError("The callback answered more than 64 KiB"));
          }
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new CallbackDeliveryError(status >= 300 && status < 400 ? "The callback answered a redirect; redirects are not followed" : `The callback answered HTTP ${status}`));
        });
        res.on("error", () => reject(new CallbackDeliveryError("Could not deliver the challenge to callbackUrl")));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => reject(e instanceof CallbackDeliveryError ? e : new CallbackDeliveryError(e.message === "timeout" ? "The callback did not answer within 5 s" : "Could not deliver the challenge to callbackUrl")));
    req.end(payload);
  });
}

const hashToken = (t: string) => createHash("sha256").update(t, "utf8").digest("hex");

/** POST /agents/{sid}/verify: a new challenge, delivered; earlier open challenges of the agent end. */
export async function startVerification(db: Db, found: Found, callbackUrl: unknown, who: Actor, now = Date.now()): Promise<void> {
  const { url, pinned } = await checkCallbackUrl(callbackUrl);
  const token = randomBytes(32).toString("hex");
  await db.trustChallenge.updateMany({ where: { agentId: found.id, usedAt: null }, data: { usedAt: new Date(now) } });
  const challenge = await db.trustChallenge.create({ data: { agentId: found.id, tokenHash: hashToken(token), callbackUrl: url.toString(), expiresAt: new Date(now + CHALLENGE_TTL_SECONDS * 1000) } });
  try {
    await deliverChallenge(url, pinned, { challenge_token: token, sid: found.signetSid! });
  } catch (err) {
    // An undelivered challenge can never be confirmed: end it now.
    await db.trustChallenge.update({ where: { id: challenge.id }, data: { usedAt: new Date(now) } });
    throw err;
  }
  await recordAudit(db, { organizationId: found.organizationId, ...who, action: "trust.verification_started", resourceType: "agent", resourceId: found.id, details: { sid: found.signetSid, host: url.hostname } });
}

/** POST /agents/{sid}/verify/confirm: the token, once, within 10 minutes → identity level 1. */
export async function confirmVerification(db: Db, found: Found, token: unknown, who: Actor, now = Date.now()) {
  if (typeof token !== "string" || token === "") throw new BadRequestError(CALLBACK_ERRORS.tokenRequired);
  if (!/^[0-9a-f]{64}$/.test(token)) throw new BadRequestError(CALLBACK_ERRORS.tokenInvalid);
  return db.$transaction(async (tx) => {
    const used = await tx.trustChallenge.updateMany({
      where: { agentId: found.id, tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: new Date(now) } },
      data: { usedAt: new Date(now) },
    });
    if (used.count !== 1) throw new BadRequestError(CALLBACK_ERRORS.tokenInvalid);
    const level = Math.max(1, found.trustProfile.identityLevel);
    await tx.trustProfile.update({ where: { agentId: found.id }, data: { identityLevel: level } });
    await recordAudit(tx, { organizationId: found.organizationId, ...who, action: "trust.identity_verified", resourceType: "agent", resourceId: found.id, details: { sid: found.signetSid, identityLevel: 1 } });
    return { identity_level: 1 as const, identity_label: IDENTITY_LABELS[1] };
  });
}
