/**
 * CSV for the audit export (RFC 4180 quoting). Cells that a spreadsheet would run as a formula —
 * starting with = + - @, or a tab or carriage return — are neutralised with a leading apostrophe.
 */
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: unknown[]): string {
  return cells.map(csvCell).join(",") + "\r\n";
}

export const AUDIT_CSV_HEADER = ["time", "action", "outcome", "actor_type", "actor_id", "actor", "resource_type", "resource_id", "ip", "user_agent", "details"];

/**
 * The last line of an export that failed after its first bytes were sent (the status was already
 * 200): a row a reader cannot take for an event, so a truncated file is never mistaken for a
 * complete one, instead of a reset connection.
 */
export const AUDIT_CSV_ERROR_ROW = ["#error", "export failed before the end; this file is incomplete"];
