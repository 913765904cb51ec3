/**
 * Tool-call classification: a category from the tool's name, then (when the name says nothing)
 * from the shape of its arguments. Pure and isomorphic. `signals` explains every step taken,
 * e.g. ["name:db_query→database"] or ["name:my_tool→no match", "arg:/sql key \"sql\"→database"].
 */
import type { ToolCall } from "./templates/types";

export type ToolCategory = "database" | "shell" | "filesystem" | "network" | "email" | "payment" | "code" | "other";

/** Name tokens per category; the first category with a hit wins, in this order. */
const NAME_TOKENS: [ToolCategory, string[]][] = [
  ["payment", ["pay", "payment", "payments", "transfer", "wallet", "invoice", "charge", "refund", "stripe", "transaction", "tx", "swap", "withdraw", "withdrawal", "deposit", "checkout", "payout", "sign_transaction", "balance", "erc20", "token_transfer", "paypal", "iban", "sepa", "bridge", "eth", "btc", "usdc"]],
  ["database", ["sql", "db", "database", "query", "postgres", "postgresql", "psql", "mysql", "sqlite", "mongo", "mongodb", "redis", "dynamodb", "bigquery", "snowflake", "table", "tables", "select", "insert", "upsert", "prisma", "supabase", "elasticsearch", "cassandra", "neo4j", "cypher"]],
  ["shell", ["shell", "bash", "sh", "zsh", "cmd", "command", "terminal", "exec", "powershell", "pwsh", "subprocess", "spawn", "console", "ssh", "process", "sudo", "cli"]],
  ["code", ["code", "python", "eval", "script", "javascript", "js", "node", "repl", "notebook", "jupyter", "interpreter", "compile", "sandbox", "ruby", "lambda"]],
  ["email", ["email", "mail", "smtp", "gmail", "outlook", "slack", "message", "messages", "sms", "notify", "notification", "chat", "teams", "discord", "telegram", "twilio", "whatsapp", "sendgrid", "mailgun", "inbox", "reply", "communicate", "post_message"]],
  ["filesystem", ["file", "files", "fs", "dir", "directory", "folder", "path", "ls", "mkdir", "rmdir", "readfile", "writefile", "glob", "disk", "storage", "s3", "blob", "upload", "download", "cat", "find_files", "list_dir", "unlink", "rename", "copy", "move"]],
  ["network", ["http", "https", "url", "fetch", "web", "browse", "browser", "request", "curl", "wget", "api", "webhook", "search", "crawl", "scrape", "dns", "ping", "nmap", "socket", "proxy", "graphql", "rest", "get_url", "navigate"]],
];

/** Splits "db_query", "readFile", "http-get.v2" into lower-case tokens. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Tool names repeat from call to call: their verdict is kept (bounded). */
const byNameMemo = new Map<string, { category: ToolCategory; token: string } | null>();

function byName(name: string): { category: ToolCategory; token: string } | null {
  let hit = byNameMemo.get(name);
  if (hit === undefined) {
    hit = byNameUncached(name);
    if (byNameMemo.size >= 10_000) byNameMemo.clear();
    byNameMemo.set(name, hit);
  }
  return hit;
}

function byNameUncached(name: string): { category: ToolCategory; token: string } | null {
  const tokens = nameTokens(name);
  const joined = tokens.join("_");
  for (const [category, words] of NAME_TOKENS) {
    for (const w of words) {
      if (w.includes("_") ? joined.includes(w) : tokens.includes(w)) return { category, token: w };
    }
  }
  return null;
}

const KEY_RULES: [ToolCategory, RegExp][] = [
  ["database", /^(sql|query_sql|statement|sql_query|table|collection)$/i],
  ["shell", /^(cmd|command|commands|shell|bash|script_cmd|cmdline|command_line)$/i],
  ["code", /^(code|source_code|python|javascript|js|program|snippet)$/i],
  ["email", /^(to|cc|bcc|subject|recipient|recipients|channel|email|phone_number|reply_to)$/i],
  ["payment", /^(amount|currency|iban|card_number|payee|beneficiary|amount_wei|value_wei|chain_id|token_address)$/i],
  ["filesystem", /^(path|paths|file|filename|file_name|filepath|file_path|dir|directory|folder|glob|pattern_path)$/i],
  ["network", /^(url|uri|href|endpoint|host|hostname|domain|webhook|webhook_url|base_url|callback_url)$/i],
];

const VALUE_RULES: [ToolCategory, RegExp, string][] = [
  ["database", /^\s*(?:select|insert\s+into|update\s+\w+\s+set|delete\s+from|with\s+\w+\s+as\s*\(|create\s+table|drop\s+table|alter\s+table)\b/i, "SQL statement"],
  ["shell", /(?:^|\s)(?:sudo|rm|ls|cat|curl|wget|chmod|grep|bash|sh)\s+[-/~.\w]|[;&|]\s*(?:ls|whoami|id|cat|rm|sh|bash)\b/i, "shell command"],
  ["network", /^\s*(?:https?|wss?|ftp):\/\//i, "URL"],
  ["filesystem", /^\s*(?:\/|~\/|\.{1,2}\/|[a-z]:\\)[^\s]*$/i, "filesystem path"],
  ["email", /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$/, "e-mail address"],
  ["payment", /^0x[0-9a-fA-F]{40}$/, "account address"],
];

/** Breadth-first members of the arguments (bounded), as [pointer, key, value]. */
function members(args: unknown): [string, string, unknown][] {
  const out: [string, string, unknown][] = [];
  const queue: [string, string, unknown, number][] = [["", "", args, 0]];
  while (queue.length && out.length < 500) {
    const [path, key, value, depth] = queue.shift() as [string, string, unknown, number];
    out.push([path, key, value]);
    if (depth >= 16 || !value || typeof value !== "object") continue;
    if (Array.isArray(value)) value.slice(0, 100).forEach((v, i) => queue.push([`${path}/${i}`, key, v, depth + 1]));
    else for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 200)) queue.push([`${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, k, v, depth + 1]);
  }
  return out;
}

/** Per call object (the engine and the templates classify the same call): treat a call as immutable. */
const classified = new WeakMap<object, { toolName: unknown; args: unknown; result: { category: ToolCategory; signals: string[] } }>();

export function classifyToolCall(call: ToolCall): { category: ToolCategory; signals: string[] } {
  const memo = call && typeof call === "object" ? classified.get(call) : undefined;
  if (memo && memo.toolName === call.tool_name && memo.args === call.arguments) return memo.result;
  const result = classifyUncached(call);
  if (call && typeof call === "object") classified.set(call, { toolName: call.tool_name, args: call.arguments, result });
  return result;
}

/** The category a tool's name alone gives ("other" when the name says nothing). */
export function categoryOfName(name: unknown): ToolCategory {
  return byName(typeof name === "string" ? name : "")?.category ?? "other";
}

/** classifyToolCall without the per-object memo: for a caller that classifies each call once itself. */
export function classifyUncached(call: ToolCall): { category: ToolCategory; signals: string[] } {
  const signals: string[] = [];
  const name = typeof call.tool_name === "string" ? call.tool_name : "";
  const hit = byName(name);
  if (hit) {
    signals.push(`name:${name}→${hit.category}`);
    return { category: hit.category, signals };
  }
  signals.push(`name:${name || "(empty)"}→no match`);
  const all = members(call.arguments).filter(([path]) => path !== "");
  // Argument keys first (they state intent), then the shapes of string values.
  for (const [category, re] of KEY_RULES) {
    const m = all.find(([, key, value]) => re.test(key) && (typeof value === "string" || typeof value === "number") && String(value).trim() !== "");
    if (m) {
      // A key alone is weak when its value contradicts it (e.g. "query": "SELECT …" is database either way).
      signals.push(`arg:${m[0]} key "${m[1]}"→${category}`);
      const valueCat = typeof m[2] === "string" ? VALUE_RULES.find(([, r]) => r.test(m[2] as string)) : undefined;
      if (valueCat && valueCat[0] !== category) {
        signals.push(`arg:${m[0]} value looks like a ${valueCat[2]}→${valueCat[0]}`);
        return { category: valueCat[0], signals };
      }
      return { category, signals };
    }
  }
  for (const [category, re, what] of VALUE_RULES) {
    const m = all.find(([, , value]) => typeof value === "string" && value.length <= 4096 && re.test(value));
    if (m) {
      signals.push(`arg:${m[0]} value looks like a ${what}→${category}`);
      return { category, signals };
    }
  }
  signals.push(all.length ? "args:no recognisable shape→other" : "args:none→other");
  return { category: "other", signals };
}
