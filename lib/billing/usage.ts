import type { DbOrTx } from "@/lib/db/client";

/**
 * Gateway checks per calendar month (UTC), the plan's `checksPerMonth`: one counter row per
 * organization and month (`check_usage`). The gateway's batch transaction grants its checks with one
 * upsert per organization, which also locks the row until commit, so two instances at the boundary
 * cannot both take the last check. Counting the month's `gateway_checks` rows instead would read
 * every row of the month on each check (figures: `npx tsx tools/bench-check-usage.ts`).
 */

const INT_MAX = 2_147_483_647;

/** The first day of `now`'s month (UTC), as the counter's key. */
export function monthOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

/**
 * Takes up to `wanted` checks from the organization's month (all of them under no limit) and counts
 * them; answers how many were granted. In a transaction, the counter row stays locked until commit
 * (and the grant rolls back with it).
 */
export async function grantChecks(db: DbOrTx, organizationId: string, wanted: number, limit: number | null, now: Date): Promise<number> {
  if (wanted <= 0) return 0;
  const cap = limit ?? INT_MAX;
  const rows = await db.$queryRaw<{ granted: number }[]>`
    INSERT INTO "check_usage" AS u ("organization_id", "month", "checks", "last_granted", "updated_at")
    VALUES (${organizationId}::uuid, ${monthOf(now)}::date, LEAST(${wanted}::int, ${cap}::int), LEAST(${wanted}::int, ${cap}::int), ${now}::timestamptz)
    ON CONFLICT ("organization_id", "month") DO UPDATE SET
      "checks" = u."checks" + LEAST(${wanted}::int, GREATEST(${cap}::int - u."checks", 0)),
      "last_granted" = LEAST(${wanted}::int, GREATEST(${cap}::int - u."checks", 0)),
      "updated_at" = EXCLUDED."updated_at"
    RETURNING "last_granted" AS granted`;
  return rows[0]?.granted ?? 0;
}

/** Checks counted in `now`'s month. */
export async function checksThisMonth(db: DbOrTx, organizationId: string, now = new Date()): Promise<number> {
  const rows = await db.$queryRaw<{ checks: number }[]>`SELECT "checks" FROM "check_usage" WHERE "organization_id" = ${organizationId}::uuid AND "month" = ${monthOf(now)}::date`;
  return rows[0]?.checks ?? 0;
}
