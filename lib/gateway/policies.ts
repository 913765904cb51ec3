/**
 * Tool policies in the database (I/O): the platform defaults (one per template, id = template name)
 * merged with the organization's rows — its own policies and its overrides or disablings of the
 * defaults. Ids share the `/api/v1/policies/{id}` namespace with seed 000 signer policies: a tool
 * policy may not take the id of one of the organization's signer policies (409).
 */
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { ON_MATCH, POLICY_ID, RISK_LEVELS, type OnMatch, type PolicySpec } from "./model";
import { schemaProblems } from "./schema-policy";
import { TEMPLATE_NAMES, isTemplateName, templateInfo, type RiskLevel, type TemplateName, type TemplateOptions } from "./templates";

export type ToolPolicyView = {
  id: string;
  name: string;
  description: string | null;
  /** A JSON Schema, or { template, options } for a template policy. */
  policy_schema: unknown;
  risk_level: RiskLevel;
  on_match: OnMatch;
  enabled: boolean;
  version: number;
  /** platform: a default (possibly overridden by this organization); organization: its own. */
  source: "platform" | "organization";
  overridden: boolean;
  template: TemplateName | null;
  created_at: string | null;
  updated_at: string | null;
};

type Row = { id: string; name: string; description: string | null; policySchema: unknown; riskLevel: string; onMatch: string; enabled: boolean; version: number; createdAt: Date; updatedAt: Date };

/** Where a template is named: "sql-injection", or { template: "exfiltration", options: { allowHosts } }. */
export function templateOf(schema: unknown): { template: TemplateName; options: TemplateOptions } | null {
  if (typeof schema === "string") return isTemplateName(schema) ? { template: schema, options: {} } : null;
  if (schema && typeof schema === "object" && !Array.isArray(schema) && typeof (schema as { template?: unknown }).template === "string") {
    const s = schema as { template: string; options?: TemplateOptions };
    return isTemplateName(s.template) ? { template: s.template, options: s.options ?? {} } : null;
  }
  return null;
}

export function defaultOnMatch(risk: RiskLevel): OnMatch {
  return risk === "HIGH" || risk === "CRITICAL" ? "block" : "pending";
}

function platformDefault(name: TemplateName): ToolPolicyView {
  const info = templateInfo(name);
  return {
    id: name,
    name: info.title,
    description: info.description,
    policy_schema: { template: name, options: {} },
    risk_level: info.risk_level,
    on_match: defaultOnMatch(info.risk_level),
    enabled: true,
    version: 0,
    source: "platform",
    overridden: false,
    template: name,
    created_at: null,
    updated_at: null,
  };
}

function viewOf(row: Row): ToolPolicyView {
  const t = templateOf(row.policySchema);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    policy_schema: row.policySchema,
    risk_level: row.riskLevel as RiskLevel,
    on_match: row.onMatch as OnMatch,
    enabled: row.enabled,
    version: row.version,
    source: isTemplateName(row.id) ? "platform" : "organization",
    overridden: isTemplateName(row.id),
    template: t?.template ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Platform defaults (as overridden) first, in template order, then the organization's own, oldest first. */
export async function listToolPolicies(db: DbOrTx, organizationId: string): Promise<ToolPolicyView[]> {
  const rows = await db.gatewayPolicy.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const defaults = TEMPLATE_NAMES.map((n) => (byId.has(n) ? viewOf(byId.get(n)!) : platformDefault(n)));
  return [...defaults, ...rows.filter((r) => !isTemplateName(r.id)).map(viewOf)];
}

/** What the engine evaluates: enabled policies, compiled lazily by (organization, id, version). */
export function specsOf(views: readonly ToolPolicyView[]): PolicySpec[] {
  return views.filter((v) => v.enabled).map((v): PolicySpec => {
    const t = templateOf(v.policy_schema);
    const common = { id: v.id, name: v.name, riskLevel: v.risk_level, onMatch: v.on_match, version: v.version };
    return t ? { ...common, kind: "template", template: t.template, options: t.options } : { ...common, kind: "schema", schema: v.policy_schema as Record<string, unknown> };
  });
}

export type ToolPolicyInput = {
  id?: string;
  name: string;
  description?: string | null;
  policy_schema: unknown;
  risk_level: RiskLevel;
  on_match?: OnMatch;
  enabled?: boolean;
};

/** Normalises and checks policy_schema: a template reference, or a JSON Schema ajv compiles. */
export function normaliseSchema(schema: unknown, field = "body.policy_schema"): Prisma.InputJsonValue {
  const t = templateOf(schema);
  if (t) {
    const info = templateInfo(t.template);
    for (const key of Object.keys(t.options)) {
      if (!(info.options as string[]).includes(key)) throw new BadRequestError(`Template "${t.template}" takes no option "${key}"`, [{ field: `${field}.options.${key}`, path: [...field.split("."), "options", key], message: `unknown option; expected ${info.options.join(", ") || "none"}` }]);
      const v = (t.options as Record<string, unknown>)[key];
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && x.length > 0 && x.length <= 256) || v.length > 200) {
        throw new BadRequestError(`Option "${key}" must be an array of strings`, [{ field: `${field}.options.${key}`, path: [...field.split("."), "options", key], message: "must be an array of up to 200 non-empty strings" }]);
      }
    }
    return { template: t.template, options: t.options } as unknown as Prisma.InputJsonValue;
  }
  if (typeof schema === "string" || (schema && typeof schema === "object" && "template" in schema)) {
    throw new BadRequestError("Unknown template", [{ field, path: field.split("."), message: `unknown template; expected one of ${TEMPLATE_NAMES.join(", ")}` }]);
  }
  const problems = schemaProblems(schema);
  if (problems.length) throw new BadRequestError(`policy_schema ${problems[0]!.message}`, problems.map((p) => ({ field, path: field.split("."), message: p.message })));
  return schema as Prisma.InputJsonValue;
}

async function signerPolicyExists(db: DbOrTx, organizationId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
  return (await db.policy.count({ where: { id, organizationId } })) > 0;
}

export async function createToolPolicy(db: DbOrTx, organizationId: string, input: ToolPolicyInput, createdById: string | null): Promise<ToolPolicyView> {
  const id = input.id ?? randomUUID();
  if (!POLICY_ID.test(id)) throw new BadRequestError("Invalid policy id", [{ field: "body.id", path: ["body", "id"], message: "must match [a-z0-9][a-z0-9._-]{0,63}" }]);
  const policySchema = normaliseSchema(input.policy_schema);
  if (await signerPolicyExists(db, organizationId, id)) throw new ConflictError(`Policy id "${id}" is taken by a signer policy of this organization`);
  if (await db.gatewayPolicy.findUnique({ where: { organizationId_id: { organizationId, id } } })) throw new ConflictError(`Policy "${id}" already exists`);
  try {
    const row = await db.gatewayPolicy.create({
      data: { organizationId, id, name: input.name, description: input.description ?? null, policySchema, riskLevel: input.risk_level, onMatch: input.on_match ?? defaultOnMatch(input.risk_level), enabled: input.enabled ?? true, createdById },
    });
    return viewOf(row);
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new ConflictError(`Policy "${id}" already exists`);
    throw err;
  }
}

export async function findToolPolicy(db: DbOrTx, organizationId: string, id: string): Promise<ToolPolicyView | null> {
  const row = await db.gatewayPolicy.findUnique({ where: { organizationId_id: { organizationId, id } } });
  if (row) return viewOf(row);
  return isTemplateName(id) ? platformDefault(id) : null;
}

export type ToolPolicyPatch = Partial<Omit<ToolPolicyInput, "id">>;

/** PATCH: edits the organization's policy, or creates/edits its override of a platform default. */
export async function updateToolPolicy(db: DbOrTx, organizationId: string, id: string, patch: ToolPolicyPatch): Promise<ToolPolicyView> {
  const current = await findToolPolicy(db, organizationId, id);
  if (!current) throw new NotFoundError("Policy not found");
  const data = {
    name: patch.name ?? current.name,
    description: patch.description !== undefined ? patch.description : current.description,
    policySchema: patch.policy_schema !== undefined ? normaliseSchema(patch.policy_schema) : (current.policy_schema as Prisma.InputJsonValue),
    riskLevel: patch.risk_level ?? current.risk_level,
    onMatch: patch.on_match ?? current.on_match,
    enabled: patch.enabled ?? current.enabled,
  };
  const row = await db.gatewayPolicy.upsert({
    where: { organizationId_id: { organizationId, id } },
    create: { organizationId, id, ...data, version: 1 },
    update: { ...data, version: { increment: 1 } },
  });
  return viewOf(row);
}

/**
 * DELETE: the organization's own policy is removed; for a platform default, the override is removed
 * (the default applies again) or, when there is none, the default is disabled for the organization.
 */
export async function deleteToolPolicy(db: DbOrTx, organizationId: string, id: string): Promise<{ effect: "deleted" | "override_removed" | "default_disabled" }> {
  const row = await db.gatewayPolicy.findUnique({ where: { organizationId_id: { organizationId, id } } });
  if (isTemplateName(id)) {
    if (row) {
      await db.gatewayPolicy.delete({ where: { organizationId_id: { organizationId, id } } });
      return { effect: "override_removed" };
    }
    const d = platformDefault(id);
    await db.gatewayPolicy.create({ data: { organizationId, id, name: d.name, description: d.description, policySchema: d.policy_schema as Prisma.InputJsonValue, riskLevel: d.risk_level, onMatch: d.on_match, enabled: false } });
    return { effect: "default_disabled" };
  }
  if (!row) throw new NotFoundError("Policy not found");
  await db.gatewayPolicy.delete({ where: { organizationId_id: { organizationId, id } } });
  return { effect: "deleted" };
}

export { ON_MATCH, RISK_LEVELS };
