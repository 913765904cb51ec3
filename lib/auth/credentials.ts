import { createHash, randomBytes } from "node:crypto";
import type { CredentialKind } from "@/lib/generated/prisma/enums";
import type { DbOrTx } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";

/**
 * Machine credentials: every API secret the product issues (organization keys, signer keys sent as
 * x-api-key, agent tokens, SCIM tokens) has the same form and storage.
 *
 *   <kind prefix><12-char id>_<43-char secret>      e.g. cso_k3J9xQ2mZt8a_Vh2...
 *
 * The part before the underscore is the visible, unique prefix shown in lists. Only SHA-256 of the
 * whole token is stored; the secret has 256 bits of entropy, so a fast hash is the right choice.
 */
export const KIND_PREFIX: Record<CredentialKind, string> = {
  organization_key: "cso_",
  signer_key: "css_",
  agent_token: "csa_",
  scim_token: "csm_",
};

const TOKEN_RE = /^(cs[osam]_[A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function hashSecret(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function tokenWithPrefix(kindPrefix: string): { token: string; prefix: string; hash: string } {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const idBytes = randomBytes(12);
  const id = Array.from(idBytes, (b) => alphabet[b % 62]).join("");
  const prefix = `${kindPrefix}${id}`;
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, hash: hashSecret(token) };
}

export function generateToken(kind: CredentialKind): { token: string; prefix: string; hash: string } {
  return tokenWithPrefix(KIND_PREFIX[kind]);
}

/**
 * Key-generation tokens (issue #10), same form and storage as credentials but bound to one ceremony
 * instead of a credentials row: `csi_` the one-time invitation the browser hands the agent, `csj_`
 * the agent's token for the rest of that ceremony. Only SHA-256 is stored (ceremony_invitations).
 */
export const CEREMONY_TOKEN_PREFIX = { invitation: "csi_", agent: "csj_" } as const;
export type CeremonyTokenKind = keyof typeof CEREMONY_TOKEN_PREFIX;
const CEREMONY_TOKEN_RE = { invitation: /^csi_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/, agent: /^csj_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/ } as const;

export function generateCeremonyToken(kind: CeremonyTokenKind): { token: string; prefix: string; hash: string } {
  return tokenWithPrefix(CEREMONY_TOKEN_PREFIX[kind]);
}

export function looksLikeCeremonyToken(kind: CeremonyTokenKind, value: string): boolean {
  return CEREMONY_TOKEN_RE[kind].test(value);
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_RE.test(value);
}

export type IssueCredentialInput = {
  organizationId: string;
  kind: CredentialKind;
  name: string;
  scopes: string[];
  subjectType?: string;
  subjectId?: string;
  createdById?: string;
  expiresAt?: Date;
};

/** Returns the row and the secret; the secret is never stored and cannot be shown again. */
export async function issueCredential(db: DbOrTx, input: IssueCredentialInput) {
  const { token, prefix, hash } = generateToken(input.kind);
  const credential = await db.credential.create({
    data: {
      organizationId: input.organizationId,
      kind: input.kind,
      name: input.name,
      prefix,
      secretHash: hash,
      scopes: input.scopes,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      createdById: input.createdById,
      expiresAt: input.expiresAt,
    },
  });
  return { credential, secret: token };
}

export type VerifiedCredential = {
  id: string;
  organizationId: string;
  kind: CredentialKind;
  name: string;
  prefix: string;
  scopes: string[];
  subjectType: string | null;
  subjectId: string | null;
};

/** Resolves a presented token to an active credential, or null (unknown, revoked, expired). */
export async function verifyCredential(db: DbOrTx, token: string, now = new Date()): Promise<VerifiedCredential | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db.credential.findUnique({ where: { secretHash: hashSecret(token) } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  // last-used is informational: write it at most once a minute per credential.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.credential.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] }, data: { lastUsedAt: now } });
  }
  return {
    id: row.id,
    organizationId: row.organizationId,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
  };
}

/** Revokes a credential of this organization; another organization's id is simply not found. */
export async function revokeCredential(db: DbOrTx, organizationId: string, id: string, now = new Date()) {
  const row = await db.credential.findFirst({ where: { id, organizationId } });
  if (!row) throw new NotFoundError("API key not found");
  if (row.revokedAt) return row;
  return db.credential.update({ where: { id }, data: { revokedAt: now } });
}

export function publicCredential(row: { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null; expiresAt: Date | null }) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
