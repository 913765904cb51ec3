import { Findings, gated, redact, shannonEntropy, unitsOf, type Ctx } from "./util";
import type { RiskLevel } from "./types";

/**
 * secrets: provider API keys (AWS, GitHub, Slack, Stripe, OpenAI, Anthropic, Google, GitLab,
 * npm, SendGrid, Twilio), PEM private keys, JWTs, bearer tokens, credential assignments,
 * hex private keys and mnemonics (named as such), secret-named fields, and high-entropy tokens
 * (Shannon entropy ≥ 4.2 bits/char over ≥ 32 characters with mixed character classes).
 */

const KEYS: { what: string; gate: string[]; risk: RiskLevel; re: RegExp; explain: string }[] = [
  { what: "private_key_pem", gate: ["-----begin"], risk: "CRITICAL", re: /-----BEGIN (?:[A-Z0-9]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/, explain: "a PEM private key" },
  { what: "aws_access_key", gate: ["akia", "asia", "abia", "acca", "aroa", "aida"], risk: "CRITICAL", re: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[0-9A-Z]{16}\b/, explain: "an AWS access key id" },
  { what: "aws_secret_key", gate: ["aws"], risk: "CRITICAL", re: /\baws.{0,20}(?:secret|sk).{0,20}[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i, explain: "an AWS secret access key" },
  { what: "github_token", gate: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], risk: "CRITICAL", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/, explain: "a GitHub token" },
  { what: "gitlab_token", gate: ["glpat-"], risk: "CRITICAL", re: /\bglpat-[A-Za-z0-9_-]{20,}\b/, explain: "a GitLab token" },
  { what: "slack_token", gate: ["xox", "hooks.slack.com"], risk: "CRITICAL", re: /\bxox[abposr]-[A-Za-z0-9-]{10,250}|https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/, explain: "a Slack token or webhook" },
  { what: "stripe_key", gate: ["sk_", "rk_", "whsec_"], risk: "CRITICAL", re: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}\b|\bwhsec_[A-Za-z0-9]{20,}\b/, explain: "a Stripe secret key" },
  { what: "anthropic_key", gate: ["sk-ant-"], risk: "CRITICAL", re: /\bsk-ant-[A-Za-z0-9_-]{20,}/, explain: "an Anthropic API key" },
  { what: "openai_key", gate: ["sk-"], risk: "CRITICAL", re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?:T3BlbkFJ[A-Za-z0-9_-]{10,})?\b/, explain: "an OpenAI-style API key" },
  { what: "google_api_key", gate: ["aiza"], risk: "HIGH", re: /\bAIza[0-9A-Za-z_-]{35}\b/, explain: "a Google API key" },
  { what: "npm_token", gate: ["npm_"], risk: "CRITICAL", re: /\bnpm_[A-Za-z0-9]{36}\b/, explain: "an npm token" },
  { what: "sendgrid_key", gate: ["sg."], risk: "CRITICAL", re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/, explain: "a SendGrid API key" },
  { what: "twilio_key", gate: ["sk"], risk: "HIGH", re: /\bSK[0-9a-f]{32}\b/, explain: "a Twilio API key" },
  { what: "countersign_key", gate: ["csk_", "aeg_", "scim_", "csm_"], risk: "CRITICAL", re: /\b(?:csk|aeg|scim|csm)_[A-Za-z0-9_-]{24,}\b/, explain: "a Countersign/AEGIS credential" },
  { what: "jwt", gate: ["eyj"], risk: "HIGH", re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{0,}/, explain: "a JSON Web Token" },
  { what: "bearer_token", gate: ["bearer"], risk: "HIGH", re: /\bbearer\s+[A-Za-z0-9._~+/-]{16,}=*/i, explain: "a bearer token" },
  { what: "basic_auth", gate: ["basic"], risk: "HIGH", re: /\bbasic\s+[A-Za-z0-9+/]{12,}={0,2}(?![A-Za-z0-9+/=])/i, explain: "HTTP Basic credentials" },
  { what: "credential_in_url", gate: ["://"], risk: "HIGH", re: /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s/:@"']{1,100}:[^\s/@"']{3,100}@/i, explain: "a password inside a URL" },
  {
    what: "credential_assignment", gate: ["pass", "pwd", "secret", "key", "token"],
    risk: "HIGH",
    re: /\b(?:password|passwd|pwd|secret|client_secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|auth[_-]?token|access[_-]?token|private[_-]?key)["']?\s{0,3}[:=]\s{0,3}["']?(?![{<$*x]{2})[^\s"',;]{8,}/i,
    explain: "a credential assigned in text",
  },
];

/** Documentation values: aeg_xxx, <token>, 0xdeadbeef…, your-key-here. */
const EXAMPLE_VALUE = /xxx|\.\.\.|…|<|\{\{|\byour[_-]|example|changeme|placeholder|redacted|deadbeef/i;
const HEX_KEY_CONTEXT = /(?:priv(?:ate)?[_ -]?key|secret[_ -]?key|signing[_ -]?key|\bsk\b|seed|wallet[_ -]?key|mnemonic)/i;
const HEX64 = /\b(?:0x)?[0-9a-fA-F]{64}\b/;
const SECRET_FIELD = /^(?:password|passwd|pwd|pass|secret|client_secret|api[_-]?key|apikey|x-api-key|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|id_token|session[_-]?token|private[_-]?key|privkey|secret[_-]?key|signing[_-]?key|authorization|credentials?|mnemonic|seed[_-]?phrase|passphrase|cookie|set-cookie)$/i;
const PLACEHOLDER = /^(?:\$\{?[\w.]+\}?|\{\{[^}]*\}\}|<[^>]*>|\*+|x+|redacted|\[redacted\]|changeme|none|null|undefined|example|your[_-].*|\.\.\.)$/i;

function highEntropyTokens(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.split(/[\s"'`,;:=&?<>(){}[\]|\\.]+/)) {
    if (tok.length < 32 || tok.length > 512) continue;
    if (!/^[A-Za-z0-9+/_-]+$/.test(tok)) continue;
    if (!/[a-z]/.test(tok) || !/[A-Z]/.test(tok) || !/\d/.test(tok)) continue;
    if ((tok.match(/\//g) ?? []).length >= 3 && /\/[a-z]{3,}\//.test(tok)) continue; // a path, not a key
    if (shannonEntropy(tok) >= 4.2) out.push(tok);
  }
  return out;
}

const MNEMONIC_GATE = ["mnemonic", "phrase"];

export function scanSecrets(ctx: Ctx, out: Findings): void {
  for (const u of unitsOf(ctx, { simpleKeys: true })) {
    if (!u.isKey && SECRET_FIELD.test(u.key)) {
      const val = u.raw.trim();
      if (val.length >= 8 && !PLACEHOLDER.test(val)) out.add("secret_field", "HIGH", u, `the "${u.key}" field carries a credential (${redact(val)})`);
    }
    for (const v of u.variants) {
      const t = v.text;
      if (t.length < 8) continue;
      for (const k of KEYS) {
        if (!gated(v.lower, k.gate)) continue;
        const m = k.re.exec(t);
        if (m && k.what === "credential_assignment" && EXAMPLE_VALUE.test(m[0])) continue;
        if (m) out.add(k.what, k.risk, u, `${k.explain} (${redact(m[0])})`, v);
      }
      const hex = t.length >= 64 ? HEX64.exec(t) : null;
      if (hex && (HEX_KEY_CONTEXT.test(u.key) || HEX_KEY_CONTEXT.test(t.slice(Math.max(0, hex.index - 40), hex.index)))) {
        out.add("hex_private_key", "CRITICAL", u, `a 256-bit hex private key (${redact(hex[0])})`, v);
      }
      if (/^(?:mnemonic|seed[_-]?phrase|recovery[_-]?phrase|secret[_-]?phrase)$/i.test(u.key) || (gated(v.lower, MNEMONIC_GATE) && /\b(?:mnemonic|seed phrase|recovery phrase)\s*[:=]/i.test(t))) {
        const words = t.replace(/^.*?(?:mnemonic|phrase)\s*[:=]\s*/i, "").trim().split(/\s+/);
        if ([12, 15, 18, 21, 24].includes(words.length) && words.every((w) => /^[a-z]{3,8}$/.test(w))) {
          out.add("mnemonic", "CRITICAL", u, `a ${words.length}-word wallet recovery phrase`, v);
        }
      }
      for (const tok of t.length >= 32 ? highEntropyTokens(t).slice(0, 1) : []) {
        out.add("high_entropy", "MEDIUM", u, `a high-entropy token (${shannonEntropy(tok).toFixed(1)} bits/char, ${redact(tok)})`, v);
      }
    }
  }
}
