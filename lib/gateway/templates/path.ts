import { excerpt, Findings, gated, PATH_KEYS, unitsOf, type Ctx } from "./util";
import type { RiskLevel } from "./types";

/**
 * path-traversal: `..` segments (also percent/double/overlong/unicode encoded), NUL bytes,
 * sensitive system and credential files, and (with allowPaths) absolute paths outside the list.
 */

const DOTDOT = /(?:^|[\\/=\s'"(:])\.{2,}[\\/]|[\\/]\.{2,}(?:[\\/]|$)|^\.\.$/;

/** Resolves "." and ".." segments and duplicate separators; backslashes become "/". */
export function normalizePath(p: string): string {
  const s = p.replace(/\\/g, "/");
  const abs = s.startsWith("/");
  const out: string[] = [];
  for (const seg of s.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
      continue;
    }
    out.push(seg);
  }
  return (abs ? "/" : "") + out.join("/");
}

const SENSITIVE: { re: RegExp; risk: RiskLevel; what: string }[] = [
  { re: /(?:^|\/)\.ssh\/(?:id_[a-z0-9]+|authorized_keys|known_hosts|config)\b|(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/i, risk: "CRITICAL", what: "an SSH key or SSH configuration" },
  { re: /(?:^|\/)\.aws\/(?:credentials|config)\b|(?:^|\/)\.config\/gcloud\/|(?:^|\/)\.azure\/|application_default_credentials\.json$/i, risk: "CRITICAL", what: "cloud credentials" },
  { re: /(?:^|\/)\.kube\/config\b|(?:^|\/)\.docker\/config\.json$|(?:^|\/)\.terraform\/|\.tfstate$|(?:^|\/)\.vault-token$/i, risk: "CRITICAL", what: "infrastructure credentials" },
  { re: /(?:^|\/)\.(?:netrc|pgpass|git-credentials|npmrc|pypirc|my\.cnf)$|(?:^|\/)\.gnupg\/|(?:^|\/)\.password-store\/|(?:^|\/)(?:\.ethereum|\.bitcoin)\/|wallet\.dat$/i, risk: "CRITICAL", what: "a credential or key store" },
  { re: /(?:^|\/)\.env(?!\.(?:example|sample|template|dist|defaults)$)(?:\.[\w-]{1,30})?$/i, risk: "HIGH", what: "an environment file with secrets" },
  { re: /\.(?:pem|key|p12|pfx|jks|keystore|ppk)$/i, risk: "HIGH", what: "a private key or certificate store" },
  { re: /^\/etc\/(?:passwd|shadow|gshadow|sudoers|master\.passwd|security\/|ssh\/|ssl\/private|krb5\.keytab)/i, risk: "CRITICAL", what: "a system account or key file" },
  { re: /^\/proc\/(?:self|thread-self|\d{1,7})\/(?:environ|root|cwd|mem|maps|cmdline|fd|exe)\b/i, risk: "CRITICAL", what: "another process's environment or filesystem view" },
  { re: /^\/(?:root|proc|sys)(?:\/|$)|^\/dev\/(?:mem|kmem|port|sd[a-z]|nvme|disk)|^\/var\/run\/docker\.sock$|^\/run\/secrets\//i, risk: "HIGH", what: "a privileged system location" },
  { re: /^\/etc(?:\/|$)/i, risk: "MEDIUM", what: "system configuration under /etc" },
  { re: /(?:^|\/)(?:\.bash_history|\.zsh_history|\.psql_history|\.mysql_history)$/i, risk: "HIGH", what: "a shell history file" },
  { re: /^(?:[a-z]:)?\/windows\/(?:system32|repair|panther)\b|\/system32\/config\b|\/sam$|^[a-z]:\/users\/[^/]+\/(?:ntuser\.dat|appdata\/)/i, risk: "HIGH", what: "a Windows system file" },
];

/** The sensitive location a path token names, after normalisation; null when ordinary. */
export function sensitivePath(token: string): { risk: RiskLevel; what: string } | null {
  const t = token.replace(/^file:\/\//i, "");
  if (!/[\\/]/.test(t) && !/^\.env/i.test(t) && !/^id_/i.test(t)) return null;
  const forms = [t.replace(/\\/g, "/"), normalizePath(t)];
  for (const s of SENSITIVE) for (const f of forms) if (s.re.test(f)) return s;
  return null;
}

/** Path-looking tokens inside free text (commands, prose): split on separators that cannot be in a path. */
export function pathTokens(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.split(/[\s"'`<>|;,()=&{}[\]*$]+/, 4000)) {
    if (tok.length < 2 || tok.length > 4096) continue;
    if (/^[a-z][a-z0-9+.-]{1,15}:\/\//i.test(tok) && !/^file:/i.test(tok)) continue;
    if (/[\\/]/.test(tok) || /^~/.test(tok) || /^\.env/i.test(tok)) out.push(tok.replace(/^@/, ""));
  }
  return out;
}

function looksLikePath(s: string): boolean {
  return /^(?:\/|~[\\/]|[a-z]:[\\/]|\\\\|file:\/\/)/i.test(s) && !/\s/.test(s);
}

function withinAllowed(path: string, allow: string[]): boolean {
  const p = normalizePath(path.replace(/^file:\/\//i, ""));
  return allow.some((a) => {
    const base = normalizePath(a).replace(/\/+$/, "");
    return base === "" ? p.startsWith("/") : p === base || p.startsWith(`${base}/`);
  });
}

const PATH_GATE = ["/", "\\", "~", ".env", "id_"];

export function scanPath(ctx: Ctx, out: Findings): void {
  const allow = ctx.options.allowPaths;
  for (const u of unitsOf(ctx)) {
    for (const v of u.variants) {
      const t = v.text;
      const dd = t.includes("..") ? DOTDOT.exec(t) : null;
      if (dd) out.add("dotdot", "HIGH", u, `a ".." segment climbs out of the intended directory: "${excerpt(t, 60)}"`, v);
      // An escaped "\u0000" in text is not a NUL; a raw or percent-encoded one is.
      if (t.includes("\u0000") && !v.via.includes("unicode")) out.add("null_byte", "HIGH", u, "a NUL byte can cut the path short of its checked suffix", v);
      for (const tok of gated(v.lower, PATH_GATE) ? pathTokens(t) : []) {
        const s = sensitivePath(tok);
        if (s) out.add("sensitive_file", s.risk, u, `names ${s.what}: "${excerpt(tok, 60)}"`, v);
      }
      if (allow && !u.isKey) {
        const whole = t.trim();
        const pathy = looksLikePath(whole) || (PATH_KEYS.test(u.key) && /^[~/\\]|^[a-z]:[\\/]/i.test(whole));
        if (pathy && !/^[a-z][a-z0-9+.-]{1,15}:\/\//i.test(whole.replace(/^file:/i, "")) && !withinAllowed(whole, allow)) {
          out.add("outside_allow_paths", "MEDIUM", u, `the absolute path "${excerpt(whole, 60)}" is outside the allowed paths`, v);
        }
      }
    }
  }
}
