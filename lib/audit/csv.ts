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
