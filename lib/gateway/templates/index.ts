/**
 * Tool-call templates: named detectors a gateway policy can use instead of (or next to) a JSON
 * Schema. Pure, no I/O, isomorphic. Arguments are walked recursively (values and keys), each
 * string is also checked after decoding (Unicode normalisation, percent / double-percent /
 * overlong, \u and \x escapes, HTML entities, plausible base64), under a fixed budget
 * (lib/gateway/templates/walk.ts: MAX_STRING, MAX_TOTAL, MAX_DEPTH, MAX_NODES). When the budget
 * cuts the walk short, every template reports `<template>:scan_truncated` so a caller can fail closed.
 */
import { categoryOfName, classifyToolCall, type ToolCategory } from "../classify";
import { scanExfiltration } from "./exfiltration";
import { scanPath } from "./path";
import { scanPii } from "./pii";
import { scanPrompt } from "./prompt";
import { scanSecrets } from "./secrets";
import { scanShell } from "./shell";
import { scanSql } from "./sql";
import { RISK_ORDER, TEMPLATE_NAMES, type RiskLevel, type TemplateFinding, type TemplateName, type TemplateOptions, type ToolCall } from "./types";
import { Findings, type Ctx } from "./util";
import { prepare } from "./walk";

export { TEMPLATE_NAMES, RISK_ORDER };
export type { RiskLevel, TemplateFinding, TemplateName, TemplateOptions, ToolCall };

interface Info {
  name: TemplateName;
  title: string;
  description: string;
  risk_level: RiskLevel;
  options: (keyof TemplateOptions)[];
}

const INFO: Record<TemplateName, Omit<Info, "name"> & { scan: (ctx: Ctx, out: Findings) => void }> = {
  "sql-injection": {
    title: "SQL injection",
    description: "Stacked queries, UNION SELECT, always-true conditions, quote-and-comment truncation, inline comments, time-based and blind probes, CHAR()/hex encodings, schema enumeration, credential columns, DROP/TRUNCATE, xp_cmdshell/LOAD_FILE.",
    risk_level: "HIGH",
    options: [],
    scan: scanSql,
  },
  "shell-injection": {
    title: "Shell injection",
    description: "Command chaining (; && || NUL), $( ) and backtick substitution, process substitution, pipes into sh/python, curl|bash, reverse shells, destructive commands, ${IFS}/quote/hex-escape evasion, inline interpreter code, and shell commands in arguments that are not commands.",
    risk_level: "CRITICAL",
    options: [],
    scan: scanShell,
  },
  "path-traversal": {
    title: "Path traversal",
    description: "`..` segments (also percent, double-percent, overlong-UTF-8 and Unicode encoded), NUL bytes, sensitive system and credential files (/etc/shadow, ~/.ssh, ~/.aws, /proc/self/environ, .env …), and absolute paths outside allowPaths.",
    risk_level: "HIGH",
    options: ["allowPaths"],
    scan: scanPath,
  },
  exfiltration: {
    title: "Data exfiltration",
    description: "URLs and hosts outside allowHosts, data: URLs, IP literals (dotted, decimal, hex, octal, IPv6), cloud metadata endpoints, DNS-tunnel-looking hostnames, paste/collector services, encoded query values, large or encoded payloads.",
    risk_level: "HIGH",
    options: ["allowHosts"],
    scan: scanExfiltration,
  },
  pii: {
    title: "Personal data",
    description: "E-mail addresses in content, phone numbers, IBANs (mod-97), card numbers (Luhn and issuer prefix), US SSNs (shape rules), Canadian SINs (Luhn), Brazilian CPFs and Spanish DNI/NIE (check digits), UK NI numbers.",
    risk_level: "MEDIUM",
    options: [],
    scan: scanPii,
  },
  secrets: {
    title: "Secrets",
    description: "AWS, GitHub, GitLab, Slack, Stripe, OpenAI, Anthropic, Google, npm and SendGrid keys, PEM private keys, JWTs, bearer and Basic credentials, passwords in URLs and assignments, hex private keys and mnemonics, secret-named fields, and high-entropy tokens.",
    risk_level: "CRITICAL",
    options: [],
    scan: scanSecrets,
  },
  "prompt-injection": {
    title: "Prompt injection",
    description: "Instructions in tool arguments to ignore or override instructions and policies (also in several languages), role hijacks and jailbreak personas, system-prompt disclosure, fake system/INST tags, hidden indirect instructions, decode-and-run requests, tool-call and send-to instructions.",
    risk_level: "HIGH",
    options: [],
    scan: scanPrompt,
  },
};

export function isTemplateName(s: string): s is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(s);
}

export function templateInfo(name: TemplateName): Info {
  const i = INFO[name];
  return { name, title: i.title, description: i.description, risk_level: i.risk_level, options: [...i.options] };
}

/** What every template reads of one call: its arguments walked once, and its classification. */
export type PreparedCall = Omit<Ctx, "options">;

/**
 * Walks a call's arguments once for any number of templates (scanPrepared). `category` is the
 * call's classification when the caller already has it. Treat the call as immutable meanwhile.
 */
export function prepareCall(call: ToolCall, category?: ToolCategory): PreparedCall {
  return {
    call: { tool_name: call.tool_name, arguments: call.arguments },
    prepared: prepare(call.arguments),
    category: category ?? classifyToolCall(call).category,
    nameCategory: categoryOfName(call.tool_name),
  };
}

/**
 * The walk and classification of a call object, kept while the object lives, so separate
 * scanWithTemplate calls over the same call walk its arguments once. Calls are treated as
 * immutable: mutate a call's arguments and pass a new call object.
 */
const walked = new WeakMap<ToolCall, PreparedCall>();

function context(call: ToolCall): PreparedCall {
  let base = walked.get(call);
  if (!base || base.call.tool_name !== call.tool_name || base.call.arguments !== call.arguments) {
    base = prepareCall(call);
    if (call && typeof call === "object") walked.set(call, base);
  }
  return base;
}

function run(name: TemplateName, base: PreparedCall, options: TemplateOptions | undefined): TemplateFinding[] {
  const ctx: Ctx = { call: base.call, prepared: base.prepared, category: base.category, nameCategory: base.nameCategory, options: options ?? NO_OPTIONS };
  const out = new Findings(name);
  INFO[name].scan(ctx, out);
  const t = ctx.prepared.truncated;
  if (t) out.add("scan_truncated", "MEDIUM", { path: t.path, isKey: false }, `not every argument was inspected: ${t.reason}`);
  const list = out.list();
  return list.length > 1 ? list.sort((a, b) => RISK_ORDER[b.risk] - RISK_ORDER[a.risk] || a.path.localeCompare(b.path) || a.signal.localeCompare(b.signal)) : list;
}

const NO_OPTIONS: TemplateOptions = Object.freeze({});

/** One template over a call prepared once (prepareCall) for several templates. */
export function scanPrepared(name: TemplateName, base: PreparedCall, options?: TemplateOptions): TemplateFinding[] {
  if (!isTemplateName(name)) throw new TypeError(`unknown template: ${String(name)}`);
  return run(name, base, options);
}

export function scanWithTemplate(name: TemplateName, call: ToolCall, options?: TemplateOptions): TemplateFinding[] {
  if (!isTemplateName(name)) throw new TypeError(`unknown template: ${String(name)}`);
  return run(name, context(call), options);
}

/** Every template over one walk of the arguments. */
export function scanAll(call: ToolCall, options?: TemplateOptions): TemplateFinding[] {
  const base = context(call);
  return TEMPLATE_NAMES.flatMap((n) => run(n, base, options));
}
