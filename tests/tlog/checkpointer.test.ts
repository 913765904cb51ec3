import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendDecision } from "@/lib/tlog/append";
import { startCheckpointer } from "@/lib/tlog/checkpointer";
import { latestCheckpoint } from "@/lib/tlog/store";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

describe("checkpointer", () => {
  it("signs a checkpoint for leaves that arrive, without any read asking for it; two instances never go backwards", async () => {
    const stops = [startCheckpointer({ intervalMs: 50 }), startCheckpointer({ intervalMs: 50 })];
    try {
      for (let round = 1; round <= 3; round++) {
        await db().$transaction((tx) => appendDecision(tx, { kind: "gateway.check", organizationId: null, decisionId: `c-${round}`, decision: "allow", actor: { type: "agent", id: "a" } }));
        await until(async () => (await latestCheckpoint(db()))?.treeSize === round);
      }
    } finally {
      stops.forEach((s) => s());
    }
    const sizes = (await db().tlogCheckpoint.findMany({ orderBy: { createdAt: "asc" } })).map((c) => Number(c.treeSize));
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(new Set(sizes).size).toBe(sizes.length);
    expect(sizes.at(-1)).toBe(3);
  });
});
