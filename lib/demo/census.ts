/**
 * The demo census: a signed agent contributes its disclosed credentials once (POST); anyone signed
 * reads the aggregate (GET) — counts only, never a row. A nationality with fewer than
 * CENSUS_MIN_BUCKET contributors is counted under "other", so a small census does not name one agent's
 * nationality.
 */
import type { DbOrTx } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import type { OnchainAgent } from "@/lib/identity/model";

export const CENSUS_MIN_BUCKET = 3;
export const AGE_BRACKETS = ["unknown", "18+", "21+"] as const;

export function ageBracket(olderThan: number): (typeof AGE_BRACKETS)[number] {
  if (olderThan >= 21) return "21+";
  if (olderThan >= 18) return "18+";
  return "unknown";
}

type Row = { nationality: string; olderThan: number; ofacClear: boolean };

/** Pure: the aggregate of the contributions. */
export function aggregate(rows: readonly Row[]) {
  const nat = new Map<string, number>();
  for (const r of rows) nat.set(r.nationality || "undisclosed", (nat.get(r.nationality || "undisclosed") ?? 0) + 1);
  const byNationality: Record<string, number> = {};
  let other = 0;
  for (const [k, n] of [...nat.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (n >= CENSUS_MIN_BUCKET) byNationality[k] = n;
    else other += n;
  }
  if (other) byNationality.other = other;
  const byAgeBracket = Object.fromEntries(AGE_BRACKETS.map((b) => [b, 0])) as Record<(typeof AGE_BRACKETS)[number], number>;
  for (const r of rows) byAgeBracket[ageBracket(r.olderThan)]++;
  return { totalAgents: rows.length, byNationality, byAgeBracket, ofacClear: rows.filter((r) => r.ofacClear).length, minBucket: CENSUS_MIN_BUCKET };
}

export async function contribute(db: DbOrTx, agent: OnchainAgent) {
  const c = agent.credentials;
  try {
    await db.demoCensusEntry.create({ data: { chainId: agent.chainId, agentId: agent.agentId, nationality: c.nationality, olderThan: c.olderThan, ofacClear: c.ofac.every((f) => !f) } });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "P2002" || code === "23505") throw new ConflictError("Already contributed");
    throw err;
  }
  return censusOf(db, agent.chainId);
}

export async function censusOf(db: DbOrTx, chainId: number) {
  const rows = await db.demoCensusEntry.findMany({ where: { chainId }, select: { nationality: true, olderThan: true, ofacClear: true } });
  return { chainId, ...aggregate(rows) };
}
