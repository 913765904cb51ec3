/**
 * The spend ledger: every guardrail decision is a row in signing_requests, and the rows in status
 * reserved, pending_approval and committed are the usage the next decision is measured against.
 * A session reserves its spend when it is allowed (or parked for approval), releases it when its
 * ceremony is aborted, expires or is rejected, and commits it when the transaction is broadcast
 * (or the message signature is handed out). Decisions for one signer are serialized with a row
 * lock on the signer, so two concurrent sessions never both fit a limit only one of them fits.
 */
import type { DbOrTx } from "@/lib/db/client";
import { usageQuery, type ActivePolicy, type SpendItem, type UsageSnapshot } from "@/lib/policy";

/** Statuses whose spend (and request count) counts toward usage. */
export const COUNTED_STATUSES = ["reserved", "pending_approval", "committed"] as const;
/** Statuses that still hold a reservation which can be released. */
export const RESERVING_STATUSES = ["reserved", "pending_approval"] as const;

/** Requests are stored in signing_requests.request in lib/policy/history.ts's JSON form (bigints as decimal strings). */
export { requestFromJson, requestToJson } from "@/lib/policy/history";

export type StoredRequest =
  | { kind: "transaction"; chainId: number; to: string | null; value: string; data: string }
  | { kind: "message"; chainId?: number; message: string | { raw: string } }
  | { kind: "typed_data"; chainId?: number; typedData: unknown };

export type StoredSpend = { asset: string; amount: string }[];

export const spendToJson = (items: readonly SpendItem[]): StoredSpend => items.map((i) => ({ asset: i.asset, amount: i.amount.toString() }));

/**
 * Takes the per-signer decision lock for the rest of the transaction. A row lock on the signer (NO KEY
 * UPDATE: it serializes decisions without blocking inserts that merely reference the signer)
 * works the same on PGlite and on PostgreSQL and needs no extra table.
 */
export async function lockSigner(tx: DbOrTx, signerId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "signers" WHERE "id" = ${signerId}::uuid FOR NO KEY UPDATE`;
}

/**
 * Releases reservations whose ceremony has ended without a signature (aborted, expired, rejected,
 * or deleted), after marking this signer's ceremonies past their TTL as expired. Runs under the
 * signer lock before usage is read, so an expired session's spend never blocks the next one.
 */
export async function releaseStale(tx: DbOrTx, signerId: string, now: Date): Promise<{ kind: string }[]> {
  const expired = await tx.$queryRaw<{ kind: string }[]>`UPDATE "ceremonies" SET "status" = 'expired', "server_state" = NULL, "updated_at" = ${now}::timestamptz
    WHERE "signer_id" = ${signerId}::uuid AND "status" IN ('open', 'pending_approval') AND "expires_at" <= ${now}::timestamptz
    RETURNING "kind"::text AS "kind"`;
  await tx.$executeRaw`UPDATE "signing_requests" r SET "status" = 'released', "updated_at" = ${now}::timestamptz
    WHERE r."signer_id" = ${signerId}::uuid AND r."status" IN ('reserved', 'pending_approval')
      AND (r."ceremony_id" IS NULL OR EXISTS (SELECT 1 FROM "ceremonies" c WHERE c."id" = r."ceremony_id" AND c."status" IN ('aborted', 'expired', 'rejected')))`;
  return expired;
}

/** Releases the reservations of ceremonies that have ended without a signature (any signer). */
export async function releaseEndedCeremonies(tx: DbOrTx, ceremonyIds?: readonly string[]): Promise<number> {
  if (ceremonyIds && ceremonyIds.length === 0) return 0;
  if (ceremonyIds) {
    return tx.$executeRaw`UPDATE "signing_requests" r SET "status" = 'released', "updated_at" = now()
      FROM "ceremonies" c WHERE c."id" = r."ceremony_id" AND c."id" = ANY(${[...ceremonyIds]}::uuid[])
        AND c."status" IN ('aborted', 'expired', 'rejected') AND r."status" IN ('reserved', 'pending_approval')`;
  }
  return tx.$executeRaw`UPDATE "signing_requests" r SET "status" = 'released', "updated_at" = now()
    FROM "ceremonies" c WHERE c."id" = r."ceremony_id" AND c."status" IN ('aborted', 'expired', 'rejected') AND r."status" IN ('reserved', 'pending_approval')`;
}

/** Commits the reservation of a finished session (transaction broadcast, message signature handed out). */
export async function commitSpend(tx: DbOrTx, ceremonyId: string, txHash?: string): Promise<void> {
  await tx.signingRequest.updateMany({
    where: { ceremonyId, status: { in: [...RESERVING_STATUSES] } },
    data: { status: "committed", ...(txHash ? { txHash } : {}) },
  });
}

type SumRow = { asset: string; total: string };

async function sums(tx: DbOrTx, signerId: string, after: Date, inclusive: boolean, now: Date): Promise<Record<string, bigint>> {
  // Rolling windows exclude their start (start < at), calendar months include it (at >= start).
  const rows = inclusive
    ? await tx.$queryRaw<SumRow[]>`SELECT lower(item->>'asset') AS "asset", SUM((item->>'amount')::numeric)::text AS "total"
        FROM "signing_requests" r CROSS JOIN LATERAL jsonb_array_elements(r."spend") AS item
        WHERE r."signer_id" = ${signerId}::uuid AND r."status" IN ('reserved', 'pending_approval', 'committed')
          AND r."created_at" >= ${after}::timestamptz AND r."created_at" <= ${now}::timestamptz
        GROUP BY 1`
    : await tx.$queryRaw<SumRow[]>`SELECT lower(item->>'asset') AS "asset", SUM((item->>'amount')::numeric)::text AS "total"
        FROM "signing_requests" r CROSS JOIN LATERAL jsonb_array_elements(r."spend") AS item
        WHERE r."signer_id" = ${signerId}::uuid AND r."status" IN ('reserved', 'pending_approval', 'committed')
          AND r."created_at" > ${after}::timestamptz AND r."created_at" <= ${now}::timestamptz
        GROUP BY 1`;
  const out: Record<string, bigint> = {};
  for (const r of rows) out[r.asset] = BigInt(r.total.split(".")[0]!);
  return out;
}

async function count(tx: DbOrTx, signerId: string, after: Date, now: Date): Promise<number> {
  const rows = await tx.$queryRaw<{ n: string }[]>`SELECT count(*)::text AS "n" FROM "signing_requests"
    WHERE "signer_id" = ${signerId}::uuid AND "status" IN ('reserved', 'pending_approval', 'committed')
      AND "created_at" > ${after}::timestamptz AND "created_at" <= ${now}::timestamptz`;
  return Number(rows[0]?.n ?? 0);
}

/**
 * The UsageSnapshot `evaluate` expects, aggregated in SQL over the windows `usageQuery` lists:
 * the same semantics as lib/policy/usage.ts usageFromEvents (the reference), with `at` the
 * request's created_at. Only the windows some policy reads are queried.
 */
export async function loadUsage(tx: DbOrTx, signerId: string, policies: readonly ActivePolicy[], now: Date): Promise<UsageSnapshot> {
  const q = usageQuery(policies, now);
  const rolling24h = policies.some((p) => p.type === "daily_limit") ? await sums(tx, signerId, q.rolling24hStart, false, now) : {};
  const monthly: Record<string, Record<string, bigint>> = {};
  for (const [zone, start] of Object.entries(q.monthStarts)) monthly[zone] = await sums(tx, signerId, start, true, now);
  const requestCounts: Record<string, number> = {};
  for (const [key, start] of Object.entries(q.rateWindowStarts)) requestCounts[key] = await count(tx, signerId, start, now);
  return { rolling24h, monthly, requestCounts };
}
