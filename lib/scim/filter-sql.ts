import { parse, type Filter } from "scim2-parse-filter";
import { BadRequestError } from "@/lib/http/errors";
import { URN } from "./schemas";

/**
 * RFC 7644 §3.4.2.2 filters → a SQL condition with bound parameters. The grammar is parsed by
 * `scim2-parse-filter`; this module only maps its tree onto the columns of scim_users / scim_groups
 * (aliased "r"), so a list request is one indexed query, never a scan in memory. Attribute names are
 * case-insensitive; string comparisons follow each attribute's caseExact. Values are always bound
 * parameters ($n), never spliced into the SQL.
 */

type ScalarType = "string" | "boolean" | "dateTime";
export type Scalar = { sql: string; type: ScalarType; caseExact: boolean };
/** A multi-valued complex attribute: rows of `from` joined to the resource by `link`, with sub-attributes. */
type Multi = { multi: true; from: string; link: string; subs: Record<string, Scalar>; primary: string };
type AttrDef = Scalar | Multi;
export type ResourceKind = "User" | "Group";

const s = (sql: string, caseExact = false): Scalar => ({ sql, type: "string", caseExact });

const EMAILS: Multi = {
  multi: true,
  from: `jsonb_array_elements("r"."emails") AS "e"`,
  link: "TRUE",
  primary: "value",
  subs: { value: s(`("e"->>'value')`), type: s(`("e"->>'type')`), display: s(`("e"->>'display')`), primary: { sql: `(("e"->>'primary')::boolean)`, type: "boolean", caseExact: false } },
};

/** The enterprise extension's string attributes, by lowercased name → their JSON spelling. */
const ENTERPRISE_KEYS: Record<string, string> = { employeenumber: "employeeNumber", costcenter: "costCenter", organization: "organization", division: "division", department: "department" };

const USER_ATTRS: Record<string, AttrDef> = {
  id: s(`"r"."id"::text`, true),
  externalid: s(`"r"."external_id"`, true),
  username: s(`"r"."user_name"`),
  displayname: s(`"r"."display_name"`),
  title: s(`"r"."title"`),
  "name.givenname": s(`"r"."given_name"`),
  "name.familyname": s(`"r"."family_name"`),
  "name.formatted": s(`"r"."formatted_name"`),
  active: { sql: `"r"."active"`, type: "boolean", caseExact: false },
  "meta.created": { sql: `"r"."created_at"`, type: "dateTime", caseExact: false },
  "meta.lastmodified": { sql: `"r"."updated_at"`, type: "dateTime", caseExact: false },
  emails: EMAILS,
  // Seed 002's example filter (`email co "@acme"`): the membership's address.
  email: s(`"r"."email"`),
  groups: {
    multi: true,
    from: `"scim_group_members" AS "gm" JOIN "scim_groups" AS "g" ON "g"."id" = "gm"."group_id"`,
    link: `"gm"."user_id" = "r"."id"`,
    primary: "value",
    subs: { value: s(`"g"."id"::text`, true), display: s(`"g"."display_name"`) },
  },
  ...Object.fromEntries(Object.entries(ENTERPRISE_KEYS).map(([k, json]) => [`${URN.enterprise.toLowerCase()}:${k}`, s(`("r"."enterprise"->>'${json}')`)])),
  [`${URN.enterprise.toLowerCase()}:manager.value`]: s(`("r"."enterprise"->'manager'->>'value')`, true),
  [`${URN.enterprise.toLowerCase()}:manager`]: s(`("r"."enterprise"->'manager'->>'value')`, true),
};

const GROUP_ATTRS: Record<string, AttrDef> = {
  id: s(`"r"."id"::text`, true),
  externalid: s(`"r"."external_id"`, true),
  displayname: s(`"r"."display_name"`),
  "meta.created": { sql: `"r"."created_at"`, type: "dateTime", caseExact: false },
  "meta.lastmodified": { sql: `"r"."updated_at"`, type: "dateTime", caseExact: false },
  members: {
    multi: true,
    from: `"scim_group_members" AS "gm" JOIN "scim_users" AS "mu" ON "mu"."id" = "gm"."user_id"`,
    link: `"gm"."group_id" = "r"."id"`,
    primary: "value",
    subs: { value: s(`"gm"."user_id"::text`, true), display: s(`"mu"."display_name"`) },
  },
};

function attrsOf(kind: ResourceKind) {
  return kind === "User" ? USER_ATTRS : GROUP_ATTRS;
}

function invalidFilter(message: string): never {
  throw new BadRequestError(message, [{ field: "query.filter", message }], { scimType: "invalidFilter" });
}

/** An attribute path as written (any case, optionally with its schema URN) → the key of the table. */
export function normalizeAttrPath(kind: ResourceKind, path: string): string {
  const lower = path.toLowerCase();
  const core = (kind === "User" ? URN.user : URN.group).toLowerCase() + ":";
  if (lower.startsWith(core)) return lower.slice(core.length);
  return lower;
}

type Resolved = { scalar: Scalar } | { multi: Multi; sub: string | null };

function resolve(kind: ResourceKind, path: string): Resolved {
  const key = normalizeAttrPath(kind, path);
  const attrs = attrsOf(kind);
  const direct = attrs[key];
  if (direct) return "multi" in direct ? { multi: direct, sub: null } : { scalar: direct };
  const dot = key.lastIndexOf(".");
  if (dot > 0) {
    const parent = attrs[key.slice(0, dot)];
    if (parent && "multi" in parent) {
      const sub = key.slice(dot + 1);
      if (!parent.subs[sub]) invalidFilter(`Unknown attribute "${path}"`);
      return { multi: parent, sub };
    }
  }
  invalidFilter(`Unknown or unfilterable attribute "${path}"`);
}

/** Escapes LIKE's wildcards in a value (the pattern uses backslash as its escape). */
function likeEscape(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}

class Builder {
  constructor(readonly params: unknown[]) {}
  bind(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }
}

function compare(b: Builder, col: Scalar, op: string, value: unknown, path: string): string {
  if (op === "pr") return col.type === "string" ? `(${col.sql} IS NOT NULL AND ${col.sql} <> '')` : `(${col.sql} IS NOT NULL)`;
  if (value === null) {
    if (op === "eq") return `(${col.sql} IS NULL)`;
    if (op === "ne") return `(${col.sql} IS NOT NULL)`;
    invalidFilter(`"${op}" cannot compare with null`);
  }
  if (col.type === "boolean") {
    if (typeof value !== "boolean") invalidFilter(`"${path}" is a boolean: compare it with true or false`);
    if (op === "eq") return `(${col.sql} = ${b.bind(value)})`;
    if (op === "ne") return `(${col.sql} IS DISTINCT FROM ${b.bind(value)})`;
    invalidFilter(`"${op}" does not apply to the boolean "${path}"`);
  }
  if (typeof value !== "string") invalidFilter(`"${path}" is a ${col.type === "dateTime" ? "dateTime" : "string"}: compare it with a quoted value`);
  if (col.type === "dateTime") {
    if (Number.isNaN(Date.parse(value))) invalidFilter(`"${value}" is not a dateTime`);
    const v = `${b.bind(new Date(value).toISOString())}::timestamptz`;
    const sqlOp = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" }[op];
    if (!sqlOp) invalidFilter(`"${op}" does not apply to the dateTime "${path}"`);
    return `(${col.sql} ${sqlOp} ${v})`;
  }
  const lhs = col.caseExact ? col.sql : `lower(${col.sql})`;
  const v = col.caseExact ? value : value.toLowerCase();
  switch (op) {
    case "eq":
      return `(${lhs} = ${b.bind(v)})`;
    case "ne":
      return `(${lhs} IS DISTINCT FROM ${b.bind(v)})`;
    case "co":
      return `(${lhs} LIKE ${b.bind(`%${likeEscape(v)}%`)} ESCAPE '\\')`;
    case "sw":
      return `(${lhs} LIKE ${b.bind(`${likeEscape(v)}%`)} ESCAPE '\\')`;
    case "ew":
      return `(${lhs} LIKE ${b.bind(`%${likeEscape(v)}`)} ESCAPE '\\')`;
    case "gt":
      return `(${lhs} > ${b.bind(v)})`;
    case "ge":
      return `(${lhs} >= ${b.bind(v)})`;
    case "lt":
      return `(${lhs} < ${b.bind(v)})`;
    case "le":
      return `(${lhs} <= ${b.bind(v)})`;
  }
  invalidFilter(`Unknown operator "${op}"`);
}

function exists(m: Multi, inner: string): string {
  return `EXISTS (SELECT 1 FROM ${m.from} WHERE ${m.link} AND ${inner})`;
}

function translate(b: Builder, kind: ResourceKind, f: Filter, within: Multi | null): string {
  switch (f.op) {
    case "and":
    case "or":
      return `(${f.filters.map((x) => translate(b, kind, x, within)).join(f.op === "and" ? " AND " : " OR ")})`;
    case "not":
      return `(NOT COALESCE(${translate(b, kind, f.filter, within)}, FALSE))`;
    case "[]": {
      if (within) invalidFilter("A value filter cannot be nested in another");
      const r = resolve(kind, f.attrPath);
      if (!("multi" in r) || r.sub !== null) invalidFilter(`"${f.attrPath}" is not a multi-valued attribute`);
      return exists(r.multi, translate(b, kind, f.valFilter, r.multi));
    }
    default: {
      const value = "compValue" in f ? f.compValue : undefined;
      if (within) {
        const sub = within.subs[f.attrPath.toLowerCase()];
        if (!sub) invalidFilter(`Unknown sub-attribute "${f.attrPath}"`);
        return compare(b, sub, f.op, value, f.attrPath);
      }
      const r = resolve(kind, f.attrPath);
      if ("scalar" in r) return compare(b, r.scalar, f.op, value, f.attrPath);
      if (f.op === "pr" && r.sub === null) return exists(r.multi, "TRUE");
      const sub = r.multi.subs[r.sub ?? r.multi.primary]!;
      return exists(r.multi, compare(b, sub, f.op, value, f.attrPath));
    }
  }
}

export function parseFilter(filter: string): Filter {
  if (filter.length > 4096) invalidFilter("The filter is longer than 4096 characters");
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch (err) {
    invalidFilter(`Invalid filter: ${(err as Error).message}`);
  }
  return ast;
}

/**
 * The SQL condition for a filter over resources aliased "r", appending its values to `params`
 * (which may already hold earlier ones, e.g. the organization id as $1).
 */
export function filterToSql(kind: ResourceKind, filter: string, params: unknown[]): string {
  return translate(new Builder(params), kind, parseFilter(filter), null);
}

/** The column a sortBy names (a multi-valued attribute sorts by its primary value: emails → the membership address). */
export function sortColumn(kind: ResourceKind, sortBy: string): string {
  const key = normalizeAttrPath(kind, sortBy);
  if (kind === "User" && (key === "emails" || key === "emails.value")) return `lower("r"."email")`;
  const def = attrsOf(kind)[key];
  if (!def || "multi" in def) invalidFilter(`Cannot sort by "${sortBy}"`);
  return def.type === "string" && !def.caseExact ? `lower(${def.sql})` : def.sql;
}
