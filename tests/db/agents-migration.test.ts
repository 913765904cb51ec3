import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "@/lib/db/migrate";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

/**
 * The agents migration on a database already in use: every signer and every seed 004 pairing ends
 * up with an agent. Runs on PGlite and, under `npm test -- pg`, on the real PostgreSQL server.
 */
const AGENTS = "20261206150000_agents";

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";
const USER = "00000000-0000-4000-8000-000000000001";
const GONE_USER = "00000000-0000-4000-8000-000000000099";
const S1 = "00000000-0000-4000-8000-0000000000a1";
const S2 = "00000000-0000-4000-8000-0000000000a2";
const S3 = "00000000-0000-4000-8000-0000000000b3";

describe("migration 20261206150000_agents on existing data", () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.stop();
    db = undefined;
  });

  it("creates one agent per signer and per unattached pairing; a pairing with a signer joins that signer's agent", async () => {
    const all = await loadMigrations();
    const idx = all.findIndex((m) => m.name === AGENTS);
    expect(idx).toBeGreaterThan(0);
    db = await createTestDatabase({ migrate: false });
    await migrate(db.url, { migrations: all.slice(0, idx) });
    await withClient(db.url, async (c) => {
      await c.query(`INSERT INTO users (id, email, updated_at) VALUES ($1, 'o@example.com', now())`, [USER]);
      await c.query(`INSERT INTO organizations (id, name, updated_at) VALUES ($1, 'A', now()), ($2, 'B', now())`, [ORG_A, ORG_B]);
      await c.query(
        `INSERT INTO signers (id, organization_id, name, description, status, chain_id, created_by_id, updated_at, deleted_at) VALUES
          ($1, $4, 'Payroll bot', 'pays people', 'active', 31337, $5, now(), NULL),
          ($2, $4, 'Old bot', NULL, 'paused', 31337, $6, now(), now()),
          ($3, $7, 'B bot', NULL, 'active', 1, NULL, now(), NULL)`,
        [S1, S2, S3, ORG_A, USER, GONE_USER, ORG_B],
      );
      await c.query(
        `INSERT INTO approval_agents (id, organization_id, address, mode, chain_id, safe_address, signer_id, created_by_id, updated_at) VALUES
          ('agt_safe', $1, '0x00000000000000000000000000000000000000A1', 'safe', 31337, '0x00000000000000000000000000000000000000F1', NULL, $2, now()),
          ('agt_relay', $1, '0x00000000000000000000000000000000000000A2', 'relay', 31337, NULL, $3, NULL, now()),
          ('agt_safe_b', $4, '0x00000000000000000000000000000000000000A1', 'safe', 1, NULL, NULL, NULL, now())`,
        [ORG_A, USER, S1, ORG_B],
      );
    });

    const r = await migrate(db.url);
    expect(r.applied).toContain(AGENTS);

    await withClient(db.url, async (c) => {
      const signers = (await c.query(`SELECT s.id, s.agent_id, a.name, a.description, a.status, a.owner_id, a.organization_id FROM signers s JOIN agents a ON a.id = s.agent_id ORDER BY s.name`)).rows;
      expect(signers).toHaveLength(3);
      const byId = Object.fromEntries(signers.map((s) => [s.id, s]));
      expect(byId[S1]).toMatchObject({ name: "Payroll bot", description: "pays people", status: "active", owner_id: USER, organization_id: ORG_A });
      // a deleted signer's agent is retired; its creator no longer exists, so no owner
      expect(byId[S2]).toMatchObject({ name: "Old bot", status: "retired", owner_id: null });
      expect(byId[S3]).toMatchObject({ name: "B bot", organization_id: ORG_B });
      expect(new Set(signers.map((s) => s.agent_id)).size).toBe(3);
      expect((await c.query(`SELECT count(*)::int AS n FROM signers WHERE agent_id IS NULL`)).rows[0].n).toBe(0);

      const pairings = Object.fromEntries(
        (await c.query(`SELECT p.id, p.agent_record_id, a.name, a.agent_address, a.organization_id, a.owner_id FROM approval_agents p JOIN agents a ON a.id = p.agent_record_id`)).rows.map((p) => [p.id, p]),
      );
      expect(Object.keys(pairings).sort()).toEqual(["agt_relay", "agt_safe", "agt_safe_b"]);
      expect(pairings.agt_relay.agent_record_id).toBe(byId[S1].agent_id);
      expect(pairings.agt_safe).toMatchObject({ name: "Agent 0x00000000000000000000000000000000000000A1", agent_address: "0x00000000000000000000000000000000000000A1", organization_id: ORG_A, owner_id: USER });
      expect(pairings.agt_safe_b.organization_id).toBe(ORG_B);
      expect(pairings.agt_safe_b.agent_record_id).not.toBe(pairings.agt_safe.agent_record_id);
      expect((await c.query(`SELECT count(*)::int AS n FROM agents`)).rows[0].n).toBe(5);

      // the constraints hold from now on
      await expect(c.query(`UPDATE agents SET signet_sid = 'SID-0xABC' WHERE id = $1`, [byId[S1].agent_id])).rejects.toThrow(/agents_signet_sid_format/);
      await c.query(`UPDATE agents SET signet_sid = 'SID-0x0123456789abcdef', aegis_agent_id = 'my-agent' WHERE id = $1`, [byId[S1].agent_id]);
      await expect(c.query(`UPDATE agents SET signet_sid = 'SID-0x0123456789abcdef' WHERE id = $1`, [byId[S3].agent_id])).rejects.toThrow(/agents_signet_sid_key/);
      // aegis agent_id: unique per organization, free across organizations
      await expect(c.query(`UPDATE agents SET aegis_agent_id = 'my-agent' WHERE id = $1`, [pairings.agt_safe.agent_record_id])).rejects.toThrow(/aegis_agent_id_key/);
      await c.query(`UPDATE agents SET aegis_agent_id = 'my-agent' WHERE id = $1`, [byId[S3].agent_id]);
      await expect(c.query(`UPDATE agents SET onchain_chain_id = 42220 WHERE id = $1`, [byId[S3].agent_id])).rejects.toThrow(/agents_onchain_pair/);
    });
  });
});
