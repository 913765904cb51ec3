/**
 * Walks tool-call arguments into scan units (every string value, every object key, every number),
 * each with decoded variants, under a fixed work budget. Pure and isomorphic (no Buffer, no I/O).
 */

/** Longest part of one string that is scanned (characters). */
export const MAX_STRING = 64 * 1024;
/** Total characters (all units, all decoded variants) scanned per call. */
export const MAX_TOTAL = 512 * 1024;
/** Deepest nesting walked; deeper values are not scanned and the scan reports truncation. */
export const MAX_DEPTH = 32;
/** Most JSON nodes walked per call. */
export const MAX_NODES = 20_000;
const MAX_VARIANTS = 8;

export interface Variant {
  text: string;
  /** `text` lower-cased, for cheap substring gates before regexes run. */
  lower: string;
  /** How the text was obtained: "" for the raw string, else e.g. "percent-decoded". */
  via: string;
  /** Parts in `via` ("" counts as one, as "".split("+") has one). */
  depth: number;
}

export interface Unit {
  /** JSON pointer to the value (or, for a key, to the member it names). */
  path: string;
  /** Name of the nearest enclosing member ("" at the top level). For a key unit: the key itself. */
  key: string;
  isKey: boolean;
  /** A key that is a plain identifier (`sql`, `user_id`): only the secrets template looks at it. */
  simpleKey: boolean;
  /** Length of the original string (before capping). */
  length: number;
  raw: string;
  variants: Variant[];
}

export interface Prepared {
  units: Unit[];
  /** `units` without plain-identifier keys (what most templates scan), computed on first use. */
  scanned?: Unit[];
  truncated: { path: string; reason: string } | null;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

const ASCII = /^[\x00-\x7f]*$/;
const ZERO_WIDTH = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;

/** Compatibility-normalise (full-width → ASCII), drop combining marks and invisible characters. */
export function normalizeText(s: string): string {
  if (ASCII.test(s)) return s;
  return s
    .replace(/\u2026/g, "_") // an ellipsis is not a ".." path segment
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(ZERO_WIDTH, "")
    .replace(/[\u2215\u2044\u29f8\u2571]/g, "/")
    .replace(/[\u2216\u29f9\u2572]/g, "\\");
}

const OVERLONG: Record<string, string> = {
  "%c0%ae": ".",
  "%e0%80%ae": ".",
  "%c0%af": "/",
  "%e0%80%af": "/",
  "%c1%9c": "\\",
  "%c0%5c": "\\",
  "%c1%1c": "\\",
  "%c0%2f": "/",
  "%c0%2e": ".",
};
const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** One round of percent-decoding (incl. IIS %uXXXX and overlong UTF-8 dots/slashes); malformed escapes stay. */
export function percentDecode(s: string): string {
  if (!/%(?:[0-9a-f]{2}|u[0-9a-f]{4})/i.test(s)) return s;
  const t = s.replace(/%(?:c0%ae|e0%80%ae|c0%af|e0%80%af|c1%9c|c0%5c|c1%1c|c0%2f|c0%2e)/gi, (m) => OVERLONG[m.toLowerCase()] ?? m)
    .replace(/%u([0-9a-f]{4})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) {
      out += utf8.decode(new Uint8Array(bytes));
      bytes = [];
    }
  };
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) === 37 && i + 2 < t.length) {
      const a = hexVal(t.charCodeAt(i + 1));
      const b = hexVal(t.charCodeAt(i + 2));
      if (a >= 0 && b >= 0) {
        bytes.push(a * 16 + b);
        i += 2;
        continue;
      }
    }
    flush();
    out += t[i];
  }
  flush();
  return out;
}

/** \uXXXX, \u{X…}, \xXX escapes. */
export function unicodeUnescape(s: string): string {
  if (!s.includes("\\u") && !s.includes("\\x")) return s;
  return s.replace(/\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (m, a?: string, b?: string, c?: string) => {
    const cp = parseInt((a ?? b ?? c) as string, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

const ENTITIES: Record<string, string> = {
  lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", sol: "/", bsol: "\\", period: ".", colon: ":", semi: ";",
  lpar: "(", rpar: ")", equals: "=", excl: "!", num: "#", dollar: "$", percnt: "%", nbsp: " ", grave: "`",
  verbar: "|", vert: "|", lowbar: "_", hyphen: "-", dash: "-", tab: "\t", newline: "\n", commat: "@",
};

export function htmlDecode(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});?/g, (m, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function printableRatio(s: string): number {
  if (!s.length) return 0;
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 160) ok++;
  }
  return ok / s.length;
}

/** Decodes one base64 token when it plausibly is base64 of text; else null. */
export function decodeBase64Text(token: string): string | null {
  let t = token.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (t.length < 12 || t.length % 4 === 1) return null;
  while (t.length % 4) t += "=";
  let bin: string;
  try {
    bin = atob(t);
  } catch {
    return null;
  }
  let ascii = true;
  for (let i = 0; i < bin.length; i++) {
    if (bin.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  // ASCII bytes are their own UTF-8 decoding.
  let text = bin;
  if (!ascii) {
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    // Most runs that are not base64 of text decode to invalid UTF-8: the lenient decoder shows that
    // with U+FFFD without the cost of a thrown error; only text that may hold a real U+FFFD
    // (bytes EF BF BD) goes through the strict decoder.
    text = utf8.decode(bytes);
    if (text.includes("\ufffd")) {
      if (!bin.includes("\xef\xbf\xbd")) return null;
      try {
        text = utf8Strict.decode(bytes);
      } catch {
        return null;
      }
    }
  }
  if (printableRatio(text) < 0.95) return null;
  // Real text has some spacing or punctuation; random alphanumerics decoded by chance rarely do.
  if (!/[\s.,;:/'"()=-]/.test(text) && text.length > 8) return null;
  return text;
}

function isB64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 95 || c === 45;
}

/** Replaces every run of ≥ 16 base64 characters that decodes to text with that text (linear scan). */
export function base64Decode(s: string): string {
  if (s.length < 16) return s;
  let out = "";
  let last = 0;
  let decoded = 0;
  for (let i = 0; i < s.length; ) {
    if (!isB64Char(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && isB64Char(s.charCodeAt(j))) j++;
    let end = j;
    while (end < s.length && end - j < 2 && s.charCodeAt(end) === 61) end++;
    if (j - i >= 16 && decoded < 64) {
      const tok = s.slice(i, end);
      // A plain word or number is not base64 of text.
      if (!/^[a-z]+$/i.test(tok) && !/^[0-9]+$/.test(tok)) {
        decoded++;
        const text = decodeBase64Text(tok);
        if (text !== null) {
          out += s.slice(last, i) + text;
          last = end;
        }
      }
    }
    i = end;
  }
  return last === 0 ? s : out + s.slice(last);
}

const DECODERS: [string, (s: string) => string][] = [
  ["normalized", normalizeText],
  ["percent-decoded", percentDecode],
  ["unicode-unescaped", unicodeUnescape],
  ["html-decoded", htmlDecode],
  ["base64-decoded", base64Decode],
];

function variantsOf(raw: string, budget: { left: number }): Variant[] {
  const out: Variant[] = [{ text: raw, lower: raw.toLowerCase(), via: "", depth: 1 }];
  const seen = new Set([raw]);
  budget.left -= raw.length;
  for (let i = 0; i < out.length && out.length < MAX_VARIANTS; i++) {
    const v = out[i] as Variant;
    if (v.depth > 3) continue;
    for (const [name, fn] of DECODERS) {
      if (out.length >= MAX_VARIANTS || budget.left <= 0) break;
      let t = fn(v.text);
      if (t.length > MAX_STRING) t = t.slice(0, MAX_STRING);
      if (seen.has(t)) continue;
      seen.add(t);
      budget.left -= t.length;
      out.push({ text: t, lower: t.toLowerCase(), via: v.via ? `${v.via}+${name}` : name, depth: v.via ? v.depth + 1 : 1 });
    }
  }
  return out;
}

/** Walks `args` iteratively (no recursion) into scan units under the budget. */
export function prepare(args: unknown): Prepared {
  const units: Unit[] = [];
  let truncated: Prepared["truncated"] = null;
  const budget = { left: MAX_TOTAL };
  const stack: { value: unknown; path: string; key: string; depth: number; isKey?: boolean }[] = [
    { value: args, path: "", key: "", depth: 0 },
  ];
  let nodes = 0;
  const addString = (s: string, path: string, key: string, isKey: boolean) => {
    if (budget.left <= 0) {
      truncated ??= { path, reason: `scan budget of ${MAX_TOTAL} characters exhausted` };
      return;
    }
    if (s.length > MAX_STRING) truncated ??= { path, reason: `string longer than ${MAX_STRING} characters; only its start was scanned` };
    const raw = s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
    const simpleKey = isKey && /^[A-Za-z_$][\w$.-]{0,63}$/.test(s);
    units.push({ path, key, isKey, simpleKey, length: s.length, raw, variants: variantsOf(raw, budget) });
  };
  while (stack.length) {
    const { value, path, key, depth, isKey } = stack.pop() as (typeof stack)[number];
    if (isKey) {
      addString(key, path, key, true);
      continue;
    }
    if (++nodes > MAX_NODES) {
      truncated ??= { path, reason: `more than ${MAX_NODES} values` };
      break;
    }
    if (typeof value === "string") addString(value, path, key, false);
    else if (typeof value === "number" || typeof value === "bigint") addString(String(value), path, key, false);
    else if (value && typeof value === "object") {
      if (depth >= MAX_DEPTH) {
        truncated ??= { path, reason: `nesting deeper than ${MAX_DEPTH} levels` };
        continue;
      }
      // Never queue more than the node limit allows: a million-element array costs no more than 20,000.
      const room = Math.max(0, MAX_NODES - nodes - stack.length);
      if (Array.isArray(value)) {
        if (value.length > room) truncated ??= { path, reason: `more than ${MAX_NODES} values` };
        for (let i = Math.min(value.length, room) - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}/${i}`, key, depth: depth + 1 });
      } else {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length * 2 > room) {
          truncated ??= { path, reason: `more than ${MAX_NODES} values` };
          entries.length = Math.floor(room / 2);
        }
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, v] = entries[i] as [string, unknown];
          const p = `${path}/${escapePointer(k)}`;
          stack.push({ value: v, path: p, key: k, depth: depth + 1 });
          stack.push({ value: null, path: p, key: k, depth: depth + 1, isKey: true });
        }
      }
    }
  }
  return { units, truncated };
}
