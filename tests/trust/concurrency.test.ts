import { PrismaPg } from "@prisma/adapter-pg";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { db, type Db } from "@/lib/db/client";
import { OUTCOMES } from "@/lib/trust/model";
import { recomputeAgent, recordTransaction, registerAgent, stateOf, updateConfig, findOwned } from "@/lib/trust/store";
import { useTestDatabase } from "../helpers/db";
import { makeUser } from "../helpers/http";

const database = useTestDatabase();

describe("trust scores under concurrent writes", () => {
  it("transactions and config changes racing on several connections all fold in, and the score still recomputes from its history", async () => {
    // PGlite serves one connection; a real PostgreSQL server (tools/test.ts DATA_LAYER_SUITES) gets four racing transactions.
    const pool = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.current.url, max: database.current.kind === "postgres" ? 4 : 1 }), transactionOptions: { maxWait: 60_000, timeout: 60_000 } }) as Db;
    try {
      const u = await makeUser();
      const who = { actor: { type: "anonymous" as const } };
      const { agent, sid } = await registerAgent(db(), u.organizationId, { name: "busy", modelProvider: "openai", modelName: "gpt-4o" }, who);
      const found = await findOwned(db(), sid, u.organizationId);
      const writes = Array.from({ length: 24 }, (_, i) =>
        i % 6 === 5
          ? updateConfig(pool, found, { modelProvider: "openai", modelName: `m${i}` }, who)
          : recordTransaction(pool, agent.id, { transactionType: "t", outcome: OUTCOMES[i % 5]!, signals: { reliability: (i * 97) % 1001, quality: (i * 31) % 1001 } }),
      );
      const results = await Promise.all(writes);
      const ids = results.flatMap((r) => ("transactionId" in r ? [r.transactionId] : []));
      expect(new Set(ids).size).toBe(20);
      const p = await db().trustProfile.findUniqueOrThrow({ where: { agentId: agent.id } });
      expect(p.txCount).toBe(20);
      expect(await db().trustEvent.count({ where: { agentId: agent.id } })).toBe(25);
      expect(await recomputeAgent(db(), agent.id)).toEqual(stateOf(p));
    } finally {
      await pool.$disconnect();
    }
  });
});
