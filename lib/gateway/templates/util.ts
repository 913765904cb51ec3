import { RISK_ORDER, type RiskLevel, type TemplateFinding, type TemplateName, type TemplateOptions, type ToolCall } from "./types";
import type { Prepared, Unit, Variant } from "./walk";
import type { ToolCategory } from "../classify";

export interface Ctx {
  call: ToolCall;
  prepared: Prepared;
  category: ToolCategory;
  /** Category from the tool name alone (argument shapes ignored). */
  nameCategory: ToolCategory;
  options: TemplateOptions;
}

/** Collects one template's findings, one per (signal, path), keeping the highest risk. */
export class Findings {
  private readonly byKey = new Map<string, TemplateFinding>();
  constructor(readonly template: TemplateName) {}

  add(what: string, risk: RiskLevel, unit: Pick<Unit, "path" | "isKey">, detail: string, variant?: Pick<Variant, "via">): void {
    const signal = `${this.template.replace(/-/g, "_")}:${what}`;
    const key = `${signal}\u0000${unit.path}`;
    const prev = this.byKey.get(key);
    if (prev && RISK_ORDER[prev.risk] >= RISK_ORDER[risk]) return;
    const where = unit.isKey ? " (in a key)" : "";
    const via = variant?.via ? ` (after ${variant.via.replace(/\+/g, ", then ")})` : "";
    this.byKey.set(key, { template: this.template, signal, risk, path: unit.path, detail: `${detail}${where}${via}` });
  }

  list(): TemplateFinding[] {
    return [...this.byKey.values()];
  }
}

/*
 * Gates are checked many times per text (every rule of every template, for each variant), so a
 * text's pairs of adjacent code units are hashed once into a 1024-bit filter and a gate string is
 * searched for only when each of its pairs (a single character: the character) is in the filter.
 * The filter only rules out: a text that contains the gate string always passes it, so `gated`
 * answers exactly what `includes` answers. Long texts (filter mostly set) skip it.
 */
const FILTER_MAX_LENGTH = 256;
const LONE = 0xffff;
const pairBit = (a: number, b: number) => Math.imul((a << 16) | b, 0x9e3779b1) >>> 22;
let filterText: string | null = null;
const filter = new Int32Array(32);

function filterOf(lower: string): Int32Array {
  if (lower === filterText) return filter;
  filter.fill(0);
  let prev = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    let bit = pairBit(c, LONE);
    filter[bit >>> 5]! |= 1 << (bit & 31);
    if (prev >= 0) {
      bit = pairBit(prev, c);
      filter[bit >>> 5]! |= 1 << (bit & 31);
    }
    prev = c;
  }
  filterText = lower;
  return filter;
}

const gateBits = new Map<readonly string[], Uint16Array[]>();

function bitsOfGate(gate: readonly string[]): Uint16Array[] {
  let bits = gateBits.get(gate);
  if (!bits) {
    bits = gate.map((g) => {
      if (g.length === 1) return Uint16Array.of(pairBit(g.charCodeAt(0), LONE));
      const out: number[] = [];
      for (let i = 1; i < g.length; i++) out.push(pairBit(g.charCodeAt(i - 1), g.charCodeAt(i)));
      return Uint16Array.from(out);
    });
    if (gateBits.size < 10_000) gateBits.set(gate, bits);
  }
  return bits;
}

/** True when `lower` contains one of the substrings (a cheap filter before a regex runs). */
export function gated(lower: string, gate: readonly string[]): boolean {
  if (lower.length > FILTER_MAX_LENGTH) {
    for (const g of gate) if (lower.includes(g)) return true;
    return false;
  }
  const have = filterOf(lower);
  const need = bitsOfGate(gate);
  outer: for (let k = 0; k < gate.length; k++) {
    const bits = need[k]!;
    for (let j = 0; j < bits.length; j++) {
      const b = bits[j]!;
      if ((have[b >>> 5]! & (1 << (b & 31))) === 0) continue outer;
    }
    if (lower.includes(gate[k]!)) return true;
  }
  return false;
}

/** Units a template looks at: plain-identifier keys (`sql`, `user_id`) are skipped unless asked for. */
export function unitsOf(ctx: Ctx, opts?: { simpleKeys?: boolean }): readonly Unit[] {
  const p = ctx.prepared;
  if (opts?.simpleKeys) return p.units;
  return (p.scanned ??= p.units.some((u) => u.simpleKey) ? p.units.filter((u) => !u.simpleKey) : p.units);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** "sk_l…(32 chars)": enough to recognise, never the value. */
export function redact(s: string): string {
  const shown = s.length >= 12 ? s.slice(0, 4) : s.slice(0, 1);
  return `${shown}… (${s.length} chars)`;
}

/**
 * A short, single-line excerpt of matched attack text for explanations. Any long token with a digit
 * in it (keys, tokens, card numbers that ride along with an attack) is cut to its first 4 characters.
 */
export function excerpt(s: string, max = 60): string {
  const one = s
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/[A-Za-z0-9_+/=.~-]{16,}/g, (tok) => (/\d/.test(tok) && !/^[\w.-]*\/[\w./-]*$/.test(tok) ? `${tok.slice(0, 4)}…` : tok))
    .trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first 4 characters to the end, letters → 10..35, mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const expected = IBAN_LENGTHS[s.slice(0, 2)];
  if (expected !== undefined && expected !== s.length) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" && ch <= "Z" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LI: 21, LT: 20, LU: 20,
  LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18, NO: 15, PK: 24, PL: 28, PS: 29, PT: 25,
  QA: 29, RO: 24, RS: 22, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26, UA: 29, VG: 24, XK: 20,
};

/** Member names that hold a command to run. */
export const COMMAND_KEYS = /^(cmd|command|commands|shell|script|exec|bash|sh|run|cmdline|command_line|args|argv|line)$/i;
/** Member names that hold a filesystem path. */
export const PATH_KEYS = /^(path|paths|file|files|filename|file_name|filepath|file_path|dir|directory|folder|src|source|dest|destination|target|cwd|location|pathname)$/i;
/** Member names that hold a network host or URL. */
export const HOST_KEYS = /^(url|uri|href|link|endpoint|host|hostname|domain|server|target|webhook|webhook_url|callback|callback_url|base_url|baseurl|api_url|origin|address_url)$/i;
