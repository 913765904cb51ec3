import { z } from "zod";
import type { Role } from "@/lib/generated/prisma/enums";
import { BadRequestError } from "@/lib/http/errors";
import { URN } from "./schemas";

/**
 * SCIM resources as JSON: a stored row → the User or Group an identity provider reads (RFC 7643
 * §4), and a User or Group it sends → the row's fields. PUT, POST and PATCH all end in `userFields`
 * / `groupFields` (PATCH first applies its operations to the current JSON, lib/scim/patch.ts).
 */

export type ScimUserRow = {
  id: string;
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  formattedName: string | null;
  displayName: string | null;
  title: string | null;
  email: string;
  emails: unknown;
  enterprise: unknown;
  active: boolean;
  baseRole: Role;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  groups?: { group: { id: string; displayName: string } }[];
};

export type ScimGroupRow = {
  id: string;
  displayName: string;
  externalId: string | null;
  role: Role | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  members?: { user: { id: string; userName: string; displayName: string | null } }[];
};

export type Json = Record<string, unknown>;
/** A resource as served: every one has its schemas and id, whatever the projection. */
export type Resource = Json & { schemas: string[]; id: string };

export const etagOf = (version: number) => `W/"${version}"`;

function meta(resourceType: "User" | "Group", base: string, row: { id: string; version: number; createdAt: Date; updatedAt: Date }) {
  return { resourceType, created: row.createdAt.toISOString(), lastModified: row.updatedAt.toISOString(), location: `${base}/${resourceType}s/${row.id}`, version: etagOf(row.version) };
}

function compact<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
}

export function userJson(row: ScimUserRow, base: string): Resource {
  const name = compact({ formatted: row.formattedName, familyName: row.familyName, givenName: row.givenName });
  const enterprise = row.enterprise && typeof row.enterprise === "object" && Object.keys(row.enterprise).length ? (row.enterprise as Json) : null;
  return compact({
    schemas: enterprise ? [URN.user, URN.enterprise] : [URN.user],
    id: row.id,
    externalId: row.externalId,
    userName: row.userName,
    name: Object.keys(name).length ? name : null,
    displayName: row.displayName,
    title: row.title,
    active: row.active,
    emails: Array.isArray(row.emails) && row.emails.length ? row.emails : null,
    groups: row.groups ? row.groups.map((g) => ({ value: g.group.id, $ref: `${base}/Groups/${g.group.id}`, display: g.group.displayName })) : null,
    [URN.enterprise]: enterprise,
    meta: meta("User", base, row),
  }) as Resource;
}

export function groupJson(row: ScimGroupRow, base: string): Resource {
  return compact({
    schemas: [URN.group],
    id: row.id,
    externalId: row.externalId,
    displayName: row.displayName,
    members: row.members ? row.members.map((m) => ({ value: m.user.id, $ref: `${base}/Users/${m.user.id}`, display: m.user.displayName ?? m.user.userName })) : undefined,
    meta: meta("Group", base, row),
  }) as Resource;
}

// --- Incoming resources ----------------------------------------------------------------------------

function invalid(message: string, scimType: "invalidValue" | "invalidSyntax" | "mutability" = "invalidValue"): never {
  throw new BadRequestError(message, [{ field: "body", message }], { scimType });
}

/** Case-insensitive member lookup (RFC 7643 §2.1: attribute names are case-insensitive). */
export function getCI(o: Json, key: string): unknown {
  const k = Object.keys(o).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : o[k];
}

const str = (max: number) => z.string().max(max);
const optStr = (max: number) => str(max).nullish();
/** Entra sends booleans as "True"/"False" strings. */
const bool = z.union([z.boolean(), z.enum(["true", "false", "True", "False", "TRUE", "FALSE"]).transform((v) => v.toLowerCase() === "true")]);
const email = z.object({ value: z.string().max(254), type: z.string().max(32).nullish(), primary: bool.nullish(), display: z.string().max(254).nullish() }).loose();

const userShape = z.object({
  userName: z.string().trim().min(1).max(254),
  externalId: optStr(256),
  name: z.object({ formatted: optStr(256), familyName: optStr(128), givenName: optStr(128) }).loose().nullish(),
  displayName: optStr(256),
  title: optStr(128),
  active: bool.nullish(),
  emails: z.array(email).max(20).nullish(),
});

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function lowerKeys(o: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) {
    const v = getCI(o, k);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export type UserFields = {
  userName: string;
  userNameKey: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  formattedName: string | null;
  displayName: string | null;
  title: string | null;
  email: string;
  emails: { value: string; type?: string; primary?: boolean; display?: string }[];
  enterprise: Json | null;
  active: boolean;
};

/** A SCIM User (POST, PUT, or the result of a PATCH) → the row's fields; 400 invalidValue naming what is wrong. */
export function userFields(doc: Json): UserFields {
  const picked = lowerKeys(doc, ["userName", "externalId", "name", "displayName", "title", "active", "emails"]);
  if (picked.name && typeof picked.name === "object") picked.name = lowerKeys(picked.name as Json, ["formatted", "familyName", "givenName"]);
  if (Array.isArray(picked.emails)) picked.emails = picked.emails.map((e) => (e && typeof e === "object" ? lowerKeys(e as Json, ["value", "type", "primary", "display"]) : e));
  const r = userShape.safeParse(picked);
  if (!r.success) {
    const i = r.error.issues[0]!;
    invalid(`${i.path.join(".") || "User"}: ${i.path[0] === "userName" && i.code === "invalid_type" ? "userName is required" : i.message}`);
  }
  const u = r.data;
  const emails = (u.emails ?? []).map((e) => compact({ value: e.value.trim(), type: e.type ?? undefined, primary: e.primary ?? undefined, display: e.display ?? undefined }));
  for (const e of emails) if (!EMAIL_RE.test(e.value)) invalid(`emails: "${e.value}" is not an email address`);
  if (emails.filter((e) => e.primary).length > 1) invalid("emails: at most one address may be primary");
  const chosen = emails.find((e) => e.primary)?.value ?? emails[0]?.value ?? (EMAIL_RE.test(u.userName) ? u.userName : null);
  if (!chosen) invalid("The user needs an email address: a userName that is one, or emails[]");
  const ext = getCI(doc, URN.enterprise);
  let enterprise: Json | null = null;
  if (ext !== undefined && ext !== null) {
    if (typeof ext !== "object" || Array.isArray(ext)) invalid(`${URN.enterprise} must be an object`);
    const e = lowerKeys(ext as Json, ["employeeNumber", "costCenter", "organization", "division", "department", "manager"]);
    for (const [k, v] of Object.entries(e)) {
      if (k === "manager") {
        if (v !== null && (typeof v !== "object" || Array.isArray(v))) invalid("manager must be an object with a value");
        if (v) e.manager = compact({ value: typeof getCI(v as Json, "value") === "string" ? (getCI(v as Json, "value") as string).slice(0, 256) : undefined, displayName: typeof getCI(v as Json, "displayName") === "string" ? (getCI(v as Json, "displayName") as string).slice(0, 256) : undefined });
      } else if (v !== null && typeof v !== "string") invalid(`${k} must be a string`);
      else if (typeof v === "string" && v.length > 256) invalid(`${k} is longer than 256 characters`);
    }
    enterprise = compact(e);
    if (!Object.keys(enterprise).length) enterprise = null;
  }
  return {
    userName: u.userName,
    userNameKey: u.userName.toLowerCase(),
    externalId: u.externalId ?? null,
    givenName: u.name?.givenName ?? null,
    familyName: u.name?.familyName ?? null,
    formattedName: u.name?.formatted ?? null,
    displayName: u.displayName ?? null,
    title: u.title ?? null,
    email: chosen.toLowerCase(),
    emails,
    enterprise,
    active: u.active ?? true,
  };
}

export type GroupFields = { displayName: string; externalId: string | null; memberIds: string[] | null };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A SCIM Group → its fields; `memberIds` null when the document names no members at all. */
export function groupFields(doc: Json): GroupFields {
  const displayName = getCI(doc, "displayName");
  if (typeof displayName !== "string" || !displayName.trim()) invalid("displayName is required");
  if (displayName.length > 256) invalid("displayName is longer than 256 characters");
  const externalId = getCI(doc, "externalId");
  if (externalId !== undefined && externalId !== null && (typeof externalId !== "string" || externalId.length > 256)) invalid("externalId must be a string");
  const members = getCI(doc, "members");
  let memberIds: string[] | null = null;
  if (members !== undefined && members !== null) {
    if (!Array.isArray(members)) invalid("members must be an array");
    if (members.length > 10_000) invalid("members: at most 10000 per request");
    memberIds = [];
    for (const m of members) {
      const v = m && typeof m === "object" ? getCI(m as Json, "value") : undefined;
      if (typeof v !== "string" || !UUID_RE.test(v)) invalid(`members: "${String(v)}" is not a User id`);
      memberIds.push(v.toLowerCase());
    }
    memberIds = [...new Set(memberIds)];
  }
  return { displayName: displayName.trim(), externalId: (externalId as string | null | undefined) ?? null, memberIds };
}

// --- attributes / excludedAttributes (RFC 7644 §3.4.2.5) ----------------------------------------

const ALWAYS = new Set(["id", "schemas"]);

function splitList(list: string | undefined): string[] {
  return (list ?? "").split(",").map((x) => x.trim()).filter(Boolean);
}

/** A requested path → [top-level key in the resource, sub-attribute?]; URN-qualified names resolve to their schema. */
function pathParts(kind: "User" | "Group", p: string): [string, string | null] {
  const lower = p.toLowerCase();
  const core = (kind === "User" ? URN.user : URN.group).toLowerCase() + ":";
  const ent = URN.enterprise.toLowerCase();
  if (kind === "User" && lower === ent) return [URN.enterprise, null];
  if (kind === "User" && lower.startsWith(ent + ":")) return [URN.enterprise, p.slice(ent.length + 1)];
  const rest = lower.startsWith(core) ? p.slice(core.length) : p;
  const dot = rest.indexOf(".");
  return dot < 0 ? [rest, null] : [rest.slice(0, dot), rest.slice(dot + 1)];
}

function keyCI(o: Json, k: string): string | undefined {
  return Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase());
}

export function project(kind: "User" | "Group", resource: Resource, attributes?: string, excluded?: string): Resource {
  const wanted = splitList(attributes);
  if (wanted.length) {
    const out: Json = {};
    for (const k of Object.keys(resource)) if (ALWAYS.has(k)) out[k] = resource[k];
    for (const p of wanted) {
      const [top, sub] = pathParts(kind, p);
      const k = keyCI(resource, top);
      if (!k) continue;
      const v = resource[k];
      if (sub === null || v === null || typeof v !== "object") {
        out[k] = v;
        continue;
      }
      const pick = (o: Json) => {
        const sk = keyCI(o, sub);
        return sk ? { [sk]: o[sk] } : {};
      };
      if (Array.isArray(v)) {
        const prev = (out[k] as Json[] | undefined) ?? v.map(() => ({}));
        out[k] = v.map((el, i) => ({ ...prev[i], ...(el && typeof el === "object" ? pick(el as Json) : {}) }));
      } else out[k] = { ...((out[k] as Json | undefined) ?? {}), ...pick(v as Json) };
    }
    return out as Resource;
  }
  const drop = splitList(excluded);
  if (!drop.length) return resource;
  const out: Resource = structuredClone(resource);
  for (const p of drop) {
    const [top, sub] = pathParts(kind, p);
    const k = keyCI(out, top);
    if (!k || ALWAYS.has(k)) continue;
    if (sub === null) delete out[k];
    else {
      const v = out[k];
      const del = (o: Json) => {
        const sk = keyCI(o, sub);
        if (sk) delete o[sk];
      };
      if (Array.isArray(v)) v.forEach((el) => el && typeof el === "object" && del(el as Json));
      else if (v && typeof v === "object") del(v as Json);
    }
  }
  return out;
}

/** Whether the request asked for a Group's members at all (a list can leave them out without reading them). */
export function wantsMembers(attributes?: string, excluded?: string): boolean {
  const wanted = splitList(attributes).map((p) => pathParts("Group", p)[0].toLowerCase());
  if (wanted.length) return wanted.includes("members");
  return !splitList(excluded).some((p) => pathParts("Group", p)[0].toLowerCase() === "members" && pathParts("Group", p)[1] === null);
}
