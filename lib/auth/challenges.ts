import type { DbOrTx } from "@/lib/db/client";
import type { ChallengePurpose } from "@/lib/generated/prisma/enums";
import { BadRequestError } from "@/lib/http/errors";

export const CHALLENGE_TTL_MS = 5 * 60_000;

export async function storeChallenge(db: DbOrTx, challenge: string, purpose: ChallengePurpose, userId: string | null = null) {
  return db.authChallenge.create({ data: { challenge, purpose, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) } });
}

/**
 * Consumes a challenge exactly once: the conditional update makes a replay, or a race between two
 * instances, fail for all but one caller.
 */
export async function consumeChallenge(db: DbOrTx, challenge: string, purposes: ChallengePurpose[], now = new Date()) {
  const row = await db.authChallenge.findUnique({ where: { challenge } });
  if (!row || !purposes.includes(row.purpose)) throw new BadRequestError("Unknown or expired challenge");
  const r = await db.authChallenge.updateMany({ where: { id: row.id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  if (r.count !== 1) throw new BadRequestError("Unknown or expired challenge");
  return row;
}

/** Reads the challenge a WebAuthn response answers, from its clientDataJSON. */
export function challengeFromClientData(clientDataJSON: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    if (typeof parsed.challenge === "string" && parsed.challenge.length > 0 && parsed.challenge.length < 200) return parsed.challenge;
  } catch {
    // fall through
  }
  throw new BadRequestError("Malformed credential: clientDataJSON", [{ field: "body.credential.response.clientDataJSON", message: "Malformed" }]);
}
