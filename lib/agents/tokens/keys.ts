/**
 * The signing keys of agent tokens: Ed25519 key pairs in `agent_token_keys`, the private JWK sealed
 * with the master key, the public JWK in the clear. The newest unretired key signs; one older than
 * AGENT_TOKEN_KEY_ROTATION_DAYS is retired and replaced (under an advisory lock, so two instances do
 * not both rotate), and stays published until its last token expired.
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { DbOrTx, Db } from "@/lib/db/client";
import { env } from "@/lib/config/env";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import { AGENT_TOKEN_ALG, MAX_TOKEN_TTL_SECONDS, needsRotation } from "./claims";

const sealContext = (kid: string) => `agent-token-key:${kid}`;
const LOCK = 0x61676e74; // "agnt"

/** A published public key: an Ed25519 JWK with its kid, alg and use. */
export type PublishedJwk = JWK & { kty: string; kid: string; alg: string; use: string };
export type PublicKeyEntry = { kid: string; publicJwk: PublishedJwk; retiredAt: Date | null };

async function createKey(tx: DbOrTx, now: Date) {
  const { publicKey, privateKey } = await generateKeyPair(AGENT_TOKEN_ALG, { crv: "Ed25519", extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: AGENT_TOKEN_ALG, use: "sig" };
  const privateJwk = await exportJWK(privateKey);
  const sealed = sealSecret(new TextEncoder().encode(JSON.stringify(privateJwk)), sealContext(kid));
  return tx.agentTokenKey.create({ data: { kid, algorithm: AGENT_TOKEN_ALG, publicJwk: publicJwk as object, sealedPrivateKey: sealed as object, createdAt: now } });
}

/** The key that signs now: rotated first when it is too old (or missing). */
export async function signingKey(db: Db, now = new Date()): Promise<{ kid: string; key: CryptoKey }> {
  const rotationDays = env().AGENT_TOKEN_KEY_ROTATION_DAYS;
  let row = await db.agentTokenKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });
  if (!row || needsRotation(row.createdAt, now, rotationDays)) {
    row = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK})`;
      const current = await tx.agentTokenKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: "desc" } });
      if (current && !needsRotation(current.createdAt, now, rotationDays)) return current;
      await tx.agentTokenKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } });
      return createKey(tx, now);
    });
  }
  const jwk = JSON.parse(new TextDecoder().decode(openSecret(row.sealedPrivateKey as unknown as SealedBlob, sealContext(row.kid)))) as JWK;
  return { kid: row.kid, key: (await importJWK(jwk, AGENT_TOKEN_ALG)) as CryptoKey };
}

/** Keys a verifier accepts now: the current one and those retired within the longest token TTL. */
export async function publishedKeys(db: DbOrTx, now = new Date()): Promise<PublicKeyEntry[]> {
  const since = new Date(now.getTime() - MAX_TOKEN_TTL_SECONDS * 1000);
  const rows = await db.agentTokenKey.findMany({ where: { OR: [{ retiredAt: null }, { retiredAt: { gte: since } }] }, orderBy: { createdAt: "desc" } });
  return rows.map((r) => ({ kid: r.kid, publicJwk: r.publicJwk as PublishedJwk, retiredAt: r.retiredAt }));
}

const KID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The published key a token's header names, or null: one primary-key lookup per verification
 * instead of loading every published key. A kid that is not one of ours in form (ours are UUIDs)
 * is not looked up at all.
 */
export async function publishedKey(db: DbOrTx, kid: string, now = new Date()): Promise<PublicKeyEntry | null> {
  if (!KID_RE.test(kid)) return null;
  const since = new Date(now.getTime() - MAX_TOKEN_TTL_SECONDS * 1000);
  const r = await db.agentTokenKey.findFirst({ where: { kid, OR: [{ retiredAt: null }, { retiredAt: { gte: since } }] } });
  return r ? { kid: r.kid, publicJwk: r.publicJwk as PublishedJwk, retiredAt: r.retiredAt } : null;
}

/** GET /.well-known/jwks.json */
export async function jwks(db: DbOrTx, now = new Date()): Promise<{ keys: PublishedJwk[] }> {
  return { keys: (await publishedKeys(db, now)).map((k) => k.publicJwk) };
}
