/**
 * What a check decides with, cached per app instance and organization: gateway settings, the enabled
 * tool policies as engine specs (JSON Schemas compile once per policy version in schema-policy.ts),
 * the agents seen, and each agent's active rules documents (compiled once per document version in
 * lib/policy/documents.ts). Valid while the organization's row in gateway_config_versions keeps the
 * version it was loaded under: database triggers bump it on every write to agents, signers, rules
 * documents, tool policies or settings, whichever instance (or tool) writes. A batch of checks reads
 * the versions of its organizations inside its own transaction, so a change committed before a check
 * starts is seen by that check. Changes made inside a batch's transaction (agents registered on first
 * sight) reach the cache only once that transaction commits (`commit`).
 */
import { assertCanAdd } from "@/lib/billing/limits";
import type { Db, Tx } from "@/lib/db/client";
import { loadActiveRulesDocument } from "@/lib/policy/documents";
import type { ActiveRulesDocument } from "@/lib/policy/engine";
import { DEFAULT_SETTINGS, type GatewaySettingsView, type PolicySpec } from "./model";
import { listToolPolicies, specsOf } from "./policies";

export type AgentRecord = { id: string; name: string; aegisAgentId: string | null; status: "active" | "paused" | "retired"; toolAllowList: unknown };

export type OrgConfig = {
  version: string;
  settings: GatewaySettingsView;
  policies: PolicySpec[];
  /** By the reference a check named it with (seed 002 agent_id, or the registry id). */
  agents: Map<string, AgentRecord>;
  /** By agent id. */
  documents: Map<string, ActiveRulesDocument[]>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ORGS = 10_000;
const MAX_AGENTS = 100_000;
const AGENT_SELECT = { id: true, name: true, aegisAgentId: true, status: true, toolAllowList: true } as const;

/** One cache per database client (a test's second client stands for another instance). */
const caches = new WeakMap<Db, Map<string, OrgConfig>>();

function cacheOf(db: Db): Map<string, OrgConfig> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

export type ConfigView = {
  /** The organization's configuration as of this transaction. */
  get(organizationId: string): OrgConfig;
  /** The agent a reference names, registering it (name = reference) when `register` and unknown. */
  agents(organizationId: string, refs: { ref: string; register: boolean }[]): Promise<void>;
  /** After the transaction committed: what it loaded becomes the instance's cache. */
  commit(): void;
};

/**
 * The instance's cached configuration for these checks, not yet validated: null unless every
 * organization and every agent reference is cached. The caller must check `versions` against the
 * database in its transaction (lockStats in checks.ts does, in the statement that locks) before
 * deciding with `view`; `view.commit` has nothing to store.
 */
export function peekConfigs(db: Db, wanted: readonly { organizationId: string; ref: string }[]): { view: ConfigView; versions: { org: string; v: string }[] } | null {
  const cache = cacheOf(db);
  const configs = new Map<string, OrgConfig>();
  for (const w of wanted) {
    const cfg = configs.get(w.organizationId) ?? cache.get(w.organizationId);
    if (!cfg || !cfg.agents.has(w.ref)) return null;
    configs.set(w.organizationId, cfg);
  }
  return {
    view: {
      get: (org) => configs.get(org)!,
      async agents(org, refs) {
        if (refs.some((r) => !configs.get(org)?.agents.has(r.ref))) throw new Error("peekConfigs: an agent outside the peeked view");
      },
      commit() {},
    },
    versions: [...configs].map(([org, c]) => ({ org, v: c.version })),
  };
}

/** Revalidates (and where needed reloads) the configuration of these organizations inside `tx`. */
export async function loadConfigs(db: Db, tx: Tx, organizationIds: readonly string[]): Promise<ConfigView> {
  const cache = cacheOf(db);
  const rows = await tx.$queryRaw<{ org: string; v: string }[]>`SELECT "organization_id"::text AS org, "version"::text AS v FROM "gateway_config_versions"
    WHERE "organization_id" IN (SELECT (jsonb_array_elements_text(${JSON.stringify(organizationIds)}::jsonb))::uuid)`;
  const versions = new Map(rows.map((r) => [r.org, r.v]));
  const staged = new Map<string, OrgConfig>();
  const configs = new Map<string, OrgConfig>();
  for (const org of organizationIds) {
    const version = versions.get(org) ?? "0";
    const cached = cache.get(org);
    if (cached && cached.version === version) {
      configs.set(org, cached);
      continue;
    }
    // Read after the version: data newer than the version is reloaded next time, never the reverse.
    const s = await tx.gatewaySettings.findUnique({ where: { organizationId: org } });
    const settings = s ? { anomalyThreshold: s.anomalyThreshold, agentRatePerMinute: s.agentRatePerMinute, toolRatePerMinute: s.toolRatePerMinute, pendingTtlSeconds: s.pendingTtlSeconds } : { ...DEFAULT_SETTINGS };
    const fresh: OrgConfig = { version, settings, policies: specsOf(await listToolPolicies(tx, org)), agents: new Map(), documents: new Map() };
    configs.set(org, fresh);
    staged.set(org, fresh);
  }

  const writable = (org: string): OrgConfig => {
    const c = staged.get(org);
    if (c) return c;
    const base = configs.get(org)!;
    const copy = { ...base, agents: new Map(base.agents), documents: new Map(base.documents) };
    staged.set(org, copy);
    configs.set(org, copy);
    return copy;
  };

  return {
    get: (org) => configs.get(org)!,
    async agents(org, wanted) {
      const cfg = configs.get(org)!;
      const missing = [...new Set(wanted.filter((w) => !cfg.agents.has(w.ref)).map((w) => w.ref))];
      if (!missing.length) return;
      const target = writable(org);
      const find = () =>
        tx.agent.findMany({ where: { organizationId: org, OR: [{ aegisAgentId: { in: missing } }, { id: { in: missing.filter((r) => UUID.test(r)) } }] }, select: AGENT_SELECT });
      let found = await find();
      // A seed 002 agent_id names an agent before a registry id does (as resolveAgent does).
      const byRef = () => {
        const m = new Map<string, AgentRecord>();
        for (const a of found) if (a.id && missing.includes(a.id) && !m.has(a.id)) m.set(a.id, a);
        for (const a of found) if (a.aegisAgentId && missing.includes(a.aegisAgentId)) m.set(a.aegisAgentId, a);
        return m;
      };
      let resolved = byRef();
      const register = [...new Set(wanted.filter((w) => w.register && !resolved.has(w.ref)).map((w) => w.ref))];
      if (register.length) {
        // New agents count against the plan (lib/billing): over it, the batch fails and each check is retried alone.
        await assertCanAdd(tx, org, "agents", new Date(), register.length);
        await tx.agent.createMany({ data: register.map((ref) => ({ organizationId: org, name: ref.slice(0, 100), aegisAgentId: ref })), skipDuplicates: true });
        found = await find();
        resolved = byRef();
      }
      const newIds = [...new Set([...resolved.values()].map((a) => a.id))].filter((id) => !target.documents.has(id));
      if (newIds.length) {
        const signers = await tx.signer.findMany({ where: { agentId: { in: newIds }, deletedAt: null }, select: { id: true, agentId: true } });
        for (const id of newIds) target.documents.set(id, []);
        for (const s of signers) {
          const doc = await loadActiveRulesDocument(tx, s.id);
          if (doc) target.documents.get(s.agentId!)!.push(doc);
        }
      }
      if (target.agents.size + resolved.size > MAX_AGENTS) target.agents.clear();
      for (const [ref, a] of resolved) target.agents.set(ref, a);
    },
    commit() {
      if (cache.size + staged.size > MAX_ORGS) cache.clear();
      for (const [org, c] of staged) {
        // Another batch may have loaded a newer version meanwhile; keep the newer one.
        const now = cache.get(org);
        if (!now || BigInt(now.version) <= BigInt(c.version)) cache.set(org, c);
      }
    },
  };
}
