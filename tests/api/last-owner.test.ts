/**
 * An organization never ends up without an owner, also when its last two owners are demoted or
 * removed at the same time from two connections: the owner count is taken under a lock on the
 * organization's row (lib/orgs/members.ts). On PGlite (one connection) the two transactions run one
 * after the other; on a real PostgreSQL server (tools/test.ts DATA_LAYER_SUITES) the second one
 * starts while the first is still open and must wait for it, then be refused.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { db, type Db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { removeMember, updateMemberRole } from "@/lib/orgs/members";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";

const database = useTestDatabase();

async function race(second: (tx: Db) => Promise<unknown>, first: (tx: Db) => Promise<unknown>) {
  const pool = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max: database.current.kind === "postgres" ? 2 : 1 }), transactionOptions: { maxWait: 60_000, timeout: 60_000 } }) as Db;
  try {
    let firstDone!: () => void;
    const firstDid = new Promise<void>((r) => (firstDone = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const a = pool.$transaction(async (tx) => {
      await first(tx as unknown as Db);
      firstDone();
      await held; // the first transaction stays open (uncommitted) while the second one runs
    });
    await firstDid;
    const b = pool.$transaction(async (tx) => second(tx as unknown as Db)).then(
      () => "done" as const,
      (err: unknown) => err,
    );
    // Let the second transaction reach its owner count (or finish) while the first is still open.
    await Promise.race([b, new Promise((r) => setTimeout(r, 500))]);
    release();
    await a;
    return await b;
  } finally {
    await pool.$disconnect();
  }
}

describe("the last owner", () => {
  it("of two owners demoted at once, one demotion is refused", async () => {
    const a = await makeUser();
    const b = await makeUser({ organizationId: a.organizationId, role: "owner" });
    const organizationId = a.organizationId;
    const outcome = await race(
      (tx) => updateMemberRole(tx, { organizationId, actorRole: "owner", userId: b.user.id, role: "admin" }),
      (tx) => updateMemberRole(tx, { organizationId, actorRole: "owner", userId: a.user.id, role: "admin" }),
    );
    expect(outcome).toBeInstanceOf(ConflictError);
    const owners = await db().membership.findMany({ where: { organizationId, role: "owner" } });
    expect(owners.map((m) => m.userId)).toEqual([b.user.id]);
  });

  it("of two owners removed at once, one removal is refused", async () => {
    const a = await makeUser();
    const b = await makeUser({ organizationId: a.organizationId, role: "owner" });
    const organizationId = a.organizationId;
    const outcome = await race(
      (tx) => removeMember(tx, { organizationId, actorRole: "owner", userId: b.user.id }),
      (tx) => removeMember(tx, { organizationId, actorRole: "owner", userId: a.user.id }),
    );
    expect(outcome).toBeInstanceOf(ConflictError);
    const owners = await db().membership.findMany({ where: { organizationId, role: "owner" } });
    expect(owners.map((m) => m.userId)).toEqual([b.user.id]);
  });
});
