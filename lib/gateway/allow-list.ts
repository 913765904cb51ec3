/**
 * Per-agent tool allow-lists (pure, isomorphic: used by the engine, the MCP proxy and the dashboard).
 * A list is an array of entries, each a tool name (exact match) or a `prefix*` pattern (`fs_*`
 * allows `fs_read` and `fs_write`; `*` alone allows every tool). `null` means no allow-list: every
 * tool is allowed. An empty list allows nothing.
 */
export type ToolAllowList = readonly string[] | null;

export const MAX_ALLOW_LIST_ENTRIES = 500;
export const MAX_ALLOW_LIST_ENTRY = 200;

export function toolAllowed(list: ToolAllowList | undefined, toolName: string): boolean {
  if (list === null || list === undefined) return true;
  for (const entry of list) {
    if (entry.endsWith("*") ? toolName.startsWith(entry.slice(0, -1)) : toolName === entry) return true;
  }
  return false;
}

/** Entries trimmed, blanks dropped, duplicates removed, order kept. */
export function normalizeAllowList(list: readonly string[] | null): string[] | null {
  if (list === null) return null;
  const out: string[] = [];
  for (const raw of list) {
    const e = raw.trim();
    if (e && !out.includes(e)) out.push(e);
  }
  return out;
}

/** The stored JSON column as a list (anything that is not an array of strings counts as no list). */
export function allowListOf(value: unknown): string[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((v): v is string => typeof v === "string");
}

/** For a reason's hint: the first entries of the list. */
export function describeAllowList(list: readonly string[]): string {
  if (list.length === 0) return "the list is empty";
  const shown = list.slice(0, 8).join(", ");
  return list.length > 8 ? `${shown}, … (${list.length} entries)` : shown;
}
