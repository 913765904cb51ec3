import { filter as compileFilter, type Filter } from "scim2-parse-filter";
import { BadRequestError } from "@/lib/http/errors";
import type { ScimType } from "@/lib/http/errors";
import { parseFilter } from "./filter-sql";
import { URN, MAX_PATCH_OPERATIONS } from "./schemas";
import type { Json } from "./resources";

/**
 * RFC 7644 §3.5.2 PATCH, applied to one resource's JSON (pure): add / replace / remove, with or
 * without a path, paths with a value filter (`members[value eq "…"]`, `emails[type eq "work"].value`),
 * schema-qualified paths (the enterprise extension). Written for what Okta and Entra ID send:
 * capitalised op names ("Replace"), booleans as strings ("False"), a pathless op whose value's keys
 * are themselves paths (`{"name.givenName": …}`), `remove` of members listed in `value`. Filtering
 * here is over one resource's own values, never over rows.
 */

export type PatchOperation = { op: string; path?: string; value?: unknown };

const MULTI: Record<"User" | "Group", string[]> = { User: ["emails", "groups"], Group: ["members"] };
const READ_ONLY: Record<"User" | "Group", string[]> = { User: ["id", "meta", "groups"], Group: ["id", "meta"] };

function fail(message: string, scimType: ScimType): never {
  throw new BadRequestError(message, [{ field: "body.Operations", message }], { scimType });
}

type Target = { container: string | null; attr: string; filter: Filter | null; sub: string | null };

function keyCI(o: Json, k: string): string {
  return Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k;
}

/** path → where it points: the extension object it lives in (or the resource), the attribute, a value filter, a sub-attribute. */
export function parsePath(kind: "User" | "Group", path: string): Target {
  let p = path.trim();
  let container: string | null = null;
  const core = (kind === "User" ? URN.user : URN.group).toLowerCase();
  const lower = p.toLowerCase();
  if (lower.startsWith(core + ":")) p = p.slice(core.length + 1);
  else if (kind === "User" && lower.startsWith(URN.enterprise.toLowerCase() + ":")) {
    container = URN.enterprise;
    p = p.slice(URN.enterprise.length + 1);
  } else if (kind === "User" && lower === URN.enterprise.toLowerCase()) return { container: null, attr: URN.enterprise, filter: null, sub: null };
  const m = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/s.exec(p);
  if (!m) fail(`Invalid path "${path}"`, "invalidPath");
  let filter: Filter | null = null;
  if (m[2] !== undefined) {
    try {
      filter = parseFilter(m[2]);
    } catch {
      fail(`Invalid value filter in path "${path}"`, "invalidPath");
    }
  }
  return { container, attr: m[1]!, filter, sub: m[3] ?? null };
}

/** Entra sends "True"/"False" for booleans. */
function coerce(attr: string, value: unknown): unknown {
  if (attr.toLowerCase() === "active" && typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if (attr.toLowerCase() === "primary" && typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

function valuesOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

function sameValue(a: unknown, b: unknown): boolean {
  const va = a && typeof a === "object" ? (a as Json).value : a;
  const vb = b && typeof b === "object" ? (b as Json).value : b;
  return typeof va === "string" && typeof vb === "string" ? va.toLowerCase() === vb.toLowerCase() : JSON.stringify(a) === JSON.stringify(b);
}

function matcher(f: Filter): (el: unknown) => boolean {
  const test = compileFilter(f);
  return (el) => el !== null && typeof el === "object" && test(el);
}

/** The attribute/value pairs of a simple `a eq "x" [and b eq "y"]` filter: what a new element needs to match it. */
function eqPairs(f: Filter): Json | null {
  if (f.op === "eq" && "compValue" in f) return { [f.attrPath]: f.compValue };
  if (f.op === "and") {
    const parts = f.filters.map(eqPairs);
    return parts.every(Boolean) ? Object.assign({}, ...parts) : null;
  }
  return null;
}

function applyOne(kind: "User" | "Group", doc: Json, op: string, path: string | undefined, value: unknown) {
  if (!path) {
    if (op === "remove") fail("remove needs a path", "noTarget");
    if (!value || typeof value !== "object" || Array.isArray(value)) fail(`${op} without a path needs an object value`, "invalidValue");
    for (const [k, v] of Object.entries(value as Json)) {
      if (k.toLowerCase() === "schemas") continue;
      // A schema URN as a key carries that extension's attributes (RFC 7644 §3.5.2.1).
      if (k.toLowerCase() === URN.enterprise.toLowerCase() && v && typeof v === "object" && !Array.isArray(v)) {
        for (const [ek, ev] of Object.entries(v as Json)) applyOne(kind, doc, op, `${URN.enterprise}:${ek}`, ev);
        continue;
      }
      if (k.toLowerCase() === "id" && typeof v === "string" && typeof doc.id === "string" && v.toLowerCase() === doc.id.toLowerCase()) continue; // Okta echoes the id
      applyOne(kind, doc, op, k, v);
    }
    return;
  }
  const t = parsePath(kind, path);
  if (READ_ONLY[kind].includes(t.attr.toLowerCase()) && !t.container) fail(`"${t.attr}" is read-only`, "mutability");
  let holder: Json = doc;
  if (t.container) {
    const ck = keyCI(doc, t.container);
    if (!doc[ck] || typeof doc[ck] !== "object") {
      if (op === "remove") return;
      doc[ck] = {};
    }
    holder = doc[ck] as Json;
  }
  const k = keyCI(holder, t.attr);
  const multi = !t.container && MULTI[kind].includes(t.attr.toLowerCase());
  value = coerce(t.sub ?? t.attr, value);

  if (t.filter) {
    if (!multi) fail(`"${t.attr}" is not multi-valued: it takes no value filter`, "invalidPath");
    const list = Array.isArray(holder[k]) ? (holder[k] as unknown[]) : [];
    const match = matcher(t.filter);
    const hits = list.filter(match);
    if (op === "remove") {
      if (t.sub) hits.forEach((el) => delete (el as Json)[keyCI(el as Json, t.sub!)]);
      else holder[k] = list.filter((el) => !match(el));
      return;
    }
    if (!hits.length) {
      // Entra replaces emails[type eq "work"].value on a user without a work address: create the element the filter describes.
      const seed = eqPairs(t.filter);
      if (!seed) fail(`No value of "${t.attr}" matches the filter`, "noTarget");
      const el: Json = { ...seed };
      if (t.sub) el[t.sub] = value;
      else if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(el, value);
      else fail(`${op} of "${path}" needs an object value`, "invalidValue");
      holder[k] = [...list, el];
      return;
    }
    for (const el of hits) {
      const e = el as Json;
      if (t.sub) e[keyCI(e, t.sub)] = value;
      else if (value && typeof value === "object" && !Array.isArray(value)) Object.assign(e, value);
      else fail(`${op} of "${path}" needs an object value`, "invalidValue");
    }
    return;
  }

  if (t.sub) {
    if (multi) fail(`"${path}" names a sub-attribute of every value: use a value filter, e.g. ${t.attr}[type eq "work"].${t.sub}`, "invalidPath");
    if (op === "remove") {
      const o = holder[k];
      if (o && typeof o === "object") delete (o as Json)[keyCI(o as Json, t.sub)];
      return;
    }
    if (!holder[k] || typeof holder[k] !== "object") holder[k] = {};
    const o = holder[k] as Json;
    o[keyCI(o, t.sub)] = value;
    return;
  }

  if (op === "remove") {
    // Entra removes group members by listing them in `value`.
    if (multi && value !== undefined && value !== null) {
      const gone = valuesOf(value);
      holder[k] = (Array.isArray(holder[k]) ? (holder[k] as unknown[]) : []).filter((el) => !gone.some((g) => sameValue(el, g)));
    } else delete holder[k];
    return;
  }
  if (multi) {
    const incoming = valuesOf(value);
    if (op === "replace") holder[k] = incoming;
    else {
      const list = Array.isArray(holder[k]) ? [...(holder[k] as unknown[])] : [];
      for (const v of incoming) if (!list.some((el) => sameValue(el, v))) list.push(v);
      holder[k] = list;
    }
    return;
  }
  // A complex single-valued attribute (name, manager): its sub-attributes merge (RFC 7644 §3.5.2.1/3).
  const cur = holder[k];
  if (value && typeof value === "object" && !Array.isArray(value) && cur && typeof cur === "object" && !Array.isArray(cur)) holder[k] = { ...(cur as Json), ...(value as Json) };
  else holder[k] = value;
}

/** Applies a PatchOp request body to a copy of `resource`; 400 with the RFC's scimType on anything it cannot apply. */
export function applyPatch(kind: "User" | "Group", resource: Json, body: unknown): Json {
  if (!body || typeof body !== "object") fail("The body must be a PatchOp", "invalidSyntax");
  const b = body as Json;
  const schemas = b.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(URN.patch)) fail(`schemas must contain "${URN.patch}"`, "invalidSyntax");
  const ops = b.Operations ?? b.operations;
  if (!Array.isArray(ops) || ops.length === 0) fail("Operations must be a non-empty array", "invalidSyntax");
  if (ops.length > MAX_PATCH_OPERATIONS) fail(`At most ${MAX_PATCH_OPERATIONS} operations per request`, "tooMany");
  const doc = structuredClone(resource);
  for (const raw of ops) {
    if (!raw || typeof raw !== "object") fail("Each operation must be an object", "invalidSyntax");
    const o = raw as Json;
    const op = typeof o.op === "string" ? o.op.toLowerCase() : "";
    if (op !== "add" && op !== "replace" && op !== "remove") fail(`Unknown op "${String(o.op)}": add, replace or remove`, "invalidSyntax");
    if (o.path !== undefined && typeof o.path !== "string") fail("path must be a string", "invalidPath");
    if (op !== "remove" && o.value === undefined) fail(`${op} needs a value`, "invalidValue");
    applyOne(kind, doc, op, o.path as string | undefined, o.value);
  }
  return doc;
}
