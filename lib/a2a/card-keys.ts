/**
 * The key that signs A2A agent cards: one ES256 (P-256) key pair in `a2a_card_keys`, created on first
 * use under an advisory lock (so two instances do not both create one), the private JWK sealed with
 * the master key, the public JWK published at /.well-known/agent-card-jwks.json (the `jku` of every
 * card signature). A key of its own: it signs cards and nothing else.
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { Db, DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";

export const CARD_KEY_ALG = "ES256";
const sealContext = (kid: string) => `a2a-card-key:${kid}`;
const LOCK = 0x61326163; // "a2ac"

export type CardPublicJwk = JWK & { kty: string; kid: string; alg: string; use: string };

/** The key that signs cards now (created when there is none). */
export async function cardSigningKey(db: Db): Promise<{ kid: string; key: CryptoKey }> {
  let row = await db.a2aCardKey.findFirst({ orderBy: { createdAt: "desc" } });
  if (!row) {
    row = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK})`;
      const current = await tx.a2aCardKey.findFirst({ orderBy: { createdAt: "desc" } });
      if (current) return current;
      const { publicKey, privateKey } = await generateKeyPair(CARD_KEY_ALG, { extractable: true });
      const kid = randomUUID();
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: CARD_KEY_ALG, use: "sig" };
      const sealed = sealSecret(new TextEncoder().encode(JSON.stringify(await exportJWK(privateKey))), sealContext(kid));
      return tx.a2aCardKey.create({ data: { kid, algorithm: CARD_KEY_ALG, publicJwk: publicJwk as object, sealedPrivateKey: sealed as object } });
    });
  }
  const jwk = JSON.parse(new TextDecoder().decode(openSecret(row.sealedPrivateKey as unknown as SealedBlob, sealContext(row.kid)))) as JWK;
  return { kid: row.kid, key: (await importJWK(jwk, CARD_KEY_ALG)) as CryptoKey };
}

/** GET /.well-known/agent-card-jwks.json: every card key's public JWK. */
export async function cardJwks(db: DbOrTx): Promise<{ keys: CardPublicJwk[] }> {
  const rows = await db.a2aCardKey.findMany({ orderBy: { createdAt: "desc" } });
  return { keys: rows.map((r) => r.publicJwk as CardPublicJwk) };
}
