/* Pure helpers for the audit log filters: URL query ⇄ form ⇄ API query (shared by the list and the CSV link). */

export interface AuditFilterForm {
  action: string;
  resourceType: string;
  q: string;
  /** Local calendar dates (YYYY-MM-DD), both inclusive. */
  from: string;
  to: string;
  signer: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { action: "", resourceType: "", q: "", from: "", to: "", signer: "" };

/** URL query names, the same as the API's. */
const URL_KEYS: Record<keyof AuditFilterForm, string> = { action: "action", resourceType: "resource_type", q: "q", from: "from", to: "to", signer: "signer" };

export const ACTION_SUGGESTIONS = [
  "policy.*",
  "signer.*",
  "signing.*",
  "auth.*",
  "api_key.*",
  "member.*",
  "organization.*",
  "user.*",
  "contract.*",
  "policy.created",
  "policy.updated",
  "policy.deleted",
  "policy.draft_saved",
  "policy.activated",
  "signing.refused",
  "signing.approved",
  "signing.rejected",
  "approval.*",
] as const;

export const RESOURCE_TYPES = ["policy", "policy_document", "signer", "signing_request", "approval_request", "credential", "membership", "invitation", "organization", "passkey", "session", "user", "contract"] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACTION = /^[a-z0-9_.]+\*?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filterFromSearch(search: URLSearchParams | { get(name: string): string | null }): AuditFilterForm {
  const out = { ...EMPTY_AUDIT_FILTER };
  for (const key of Object.keys(URL_KEYS) as (keyof AuditFilterForm)[]) out[key] = search.get(URL_KEYS[key])?.trim() ?? "";
  return out;
}

/** The page's own URL query (only the filters that are set). */
export function filterToSearch(filter: AuditFilterForm): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of Object.keys(URL_KEYS) as (keyof AuditFilterForm)[]) {
    const value = filter[key].trim();
    if (value) params.set(URL_KEYS[key], value);
  }
  return params;
}

export type AuditFilterErrors = Partial<Record<keyof AuditFilterForm, string>>;

export function validateAuditFilter(filter: AuditFilterForm): AuditFilterErrors {
  const errors: AuditFilterErrors = {};
  const action = filter.action.trim();
  if (action && (!ACTION.test(action) || action.length > 100)) errors.action = "An action like signer.created, or a prefix like signer.*";
  if (filter.resourceType && !/^[a-z_]+$/.test(filter.resourceType)) errors.resourceType = "Pick a resource type";
  if (filter.q.trim().length > 200) errors.q = "At most 200 characters";
  if (filter.from && !DATE.test(filter.from)) errors.from = "Pick a date";
  if (filter.to && !DATE.test(filter.to)) errors.to = "Pick a date";
  if (!errors.from && !errors.to && filter.from && filter.to && filter.from > filter.to) errors.to = "Must not be before the start date";
  if (filter.signer && !UUID.test(filter.signer)) errors.signer = "Pick a signer";
  return errors;
}

/** Local midnight of a YYYY-MM-DD date, plus `days`, as an ISO instant. */
export function localMidnightIso(date: string, days = 0): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}

/**
 * The API query for a filter: dates become instants (the end date is inclusive, so `to` is the next
 * local midnight, which the API treats as exclusive). Invalid fields are left out.
 */
export function auditApiParams(filter: AuditFilterForm): URLSearchParams {
  const errors = validateAuditFilter(filter);
  const params = new URLSearchParams();
  const ok = (key: keyof AuditFilterForm) => filter[key].trim() !== "" && !errors[key];
  if (ok("action")) params.set("action", filter.action.trim());
  if (ok("resourceType")) params.set("resource_type", filter.resourceType);
  if (ok("q")) params.set("q", filter.q.trim());
  if (ok("from")) params.set("from", localMidnightIso(filter.from));
  if (ok("to")) params.set("to", localMidnightIso(filter.to, 1));
  if (ok("signer")) params.set("signer", filter.signer);
  return params;
}

export function auditListPath(filter: AuditFilterForm, limit: number, cursor: string | null): string {
  const params = auditApiParams(filter);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/api/v1/audit-log?${params.toString()}`;
}

export function auditExportPath(filter: AuditFilterForm): string {
  const query = auditApiParams(filter).toString();
  return query ? `/api/v1/audit-log/export?${query}` : "/api/v1/audit-log/export";
}

export function isFiltered(filter: AuditFilterForm): boolean {
  return Object.values(filter).some((v) => v.trim() !== "");
}
