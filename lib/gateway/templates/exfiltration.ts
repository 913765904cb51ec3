import { excerpt, Findings, gated, HOST_KEYS, shannonEntropy, unitsOf, type Ctx } from "./util";
import type { Unit, Variant } from "./walk";

/**
 * exfiltration: hosts outside allowHosts, data: URLs, IP literals (dotted, decimal, hex, octal,
 * IPv6), cloud metadata endpoints, DNS-tunnel-looking hostnames, known paste/collector services,
 * long encoded query values, and large or encoded payloads.
 */

/** Strings at least this long are reported as a large payload. */
export const LARGE_PAYLOAD = 4096;

const URL_RE = /\b([a-z][a-z0-9+.-]{1,15}):\/\/([^\s"'<>`\\]{1,2048})/gi;
const DATA_URL = /\bdata:(?:[a-z]{1,20}\/[a-z0-9.+-]{1,60})?(?:;[a-z0-9=.+-]{1,40}){0,5},/i;
const EXFIL_SERVICES = [
  "pastebin.com", "paste.ee", "hastebin.com", "ghostbin.com", "transfer.sh", "file.io", "0x0.st", "webhook.site",
  "requestbin.com", "requestbin.net", "pipedream.net", "ngrok.io", "ngrok-free.app", "ngrok.app", "burpcollaborator.net",
  "oastify.com", "interact.sh", "interactsh.com", "dnslog.cn", "ceye.io", "canarytokens.com", "beeceptor.com",
  "requestcatcher.com", "termbin.com", "anonfiles.com", "temp.sh", "trycloudflare.com", "serveo.net", "localtunnel.me",
  "loca.lt", "discord.com/api/webhooks", "api.telegram.org",
];
const METADATA_HOSTS = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal", "fd00:ec2::254", "metadata.azure.internal"]);

export function hostAllowed(host: string, allow: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return allow.some((a) => {
    const e = a.toLowerCase().trim().replace(/^\*\./, "").replace(/^\./, "").replace(/\.$/, "");
    return h === e || h.endsWith(`.${e}`);
  });
}

type IpKind = { kind: "loopback" | "private" | "link_local" | "public" | "obfuscated" | "metadata"; normalized: string };

function ipv4Kind(a: number, b: number): IpKind["kind"] {
  if (a === 127 || a === 0) return "loopback";
  if (a === 169 && b === 254) return "link_local";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return "private";
  return "public";
}

/** Classifies a raw host as an IP literal; null for names. */
export function classifyIp(rawHost: string): IpKind | null {
  const h = rawHost.toLowerCase().replace(/^\[|\]$/g, "");
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(h) && !/(?:^|\.)0\d/.test(h)) {
    const p = h.split(".").map(Number);
    if (p.some((x) => x > 255)) return null;
    const n = `${p[0]}.${p[1]}.${p[2]}.${p[3]}`;
    return { kind: METADATA_HOSTS.has(n) ? "metadata" : ipv4Kind(p[0] as number, p[1] as number), normalized: n };
  }
  // Decimal (2130706433), hex (0x7f000001), octal (0177.0.0.1) or mixed forms: all resolve to an IPv4.
  if (/^(?:0x[0-9a-f]{1,8}|\d{1,10}|0[0-7]{1,11})(?:\.(?:0x[0-9a-f]{1,8}|\d{1,10}|0[0-7]{1,11})){0,3}$/.test(h) && (/[x]/.test(h) || /(?:^|\.)0\d/.test(h) || !h.includes(".") || h.split(".").length < 4)) {
    if (!/^\d+$/.test(h) || (h.length >= 8 && Number(h) <= 0xffffffff)) return { kind: "obfuscated", normalized: h };
    return null;
  }
  if (h.includes(":") && /^[0-9a-f:.]+$/.test(h) && (h.match(/:/g) ?? []).length >= 2) {
    if (h === "::1" || h === "::") return { kind: "loopback", normalized: h };
    if (METADATA_HOSTS.has(h)) return { kind: "metadata", normalized: h };
    const mapped = /::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(h);
    if (mapped) return classifyIp(mapped[1] as string);
    if (/^fe[89ab]/.test(h)) return { kind: "link_local", normalized: h };
    if (/^f[cd]/.test(h)) return { kind: "private", normalized: h };
    return { kind: "public", normalized: h };
  }
  return null;
}

/** A host whose labels look like data smuggled through DNS. */
export function dnsTunnelReason(host: string): string | null {
  const labels = host.toLowerCase().split(".");
  if (labels.length < 3) return null;
  if (host.length > 120) return `hostname is ${host.length} characters long`;
  for (const l of labels.slice(0, -2)) {
    if (l.length >= 40) return `a ${l.length}-character label`;
    if (l.length >= 24 && /\d/.test(l) && /^[a-z0-9]+$/.test(l) && shannonEntropy(l) >= 3.5) return `a high-entropy ${l.length}-character label`;
  }
  const longLabels = labels.filter((l) => l.length >= 16 && /\d/.test(l)).length;
  if (longLabels >= 3) return `${longLabels} long encoded-looking labels`;
  return null;
}

function parseAuthority(rest: string): { host: string; userinfo: boolean; query: string } {
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const after = end === -1 ? "" : rest.slice(end);
  const at = authority.lastIndexOf("@");
  // Trailing prose punctuation ("(see https://example.com).") is not part of the host.
  let host = (at >= 0 ? authority.slice(at + 1) : authority).replace(/[^a-z0-9\]]+$/i, "");
  if (host.startsWith("[")) host = host.slice(0, host.indexOf("]") + 1 || undefined);
  else host = host.replace(/:\d{0,5}$/, "");
  const q = after.indexOf("?");
  return { host: host.toLowerCase(), userinfo: at >= 0, query: q >= 0 ? after.slice(q + 1).split("#")[0] ?? "" : "" };
}

function checkHost(ctx: Ctx, out: Findings, u: Unit, v: Variant, host: string, shown: string): void {
  if (!host) return;
  const allow = ctx.options.allowHosts;
  const ip = classifyIp(host);
  if (allow) {
    if (!hostAllowed(host, allow) && !(ip && hostAllowed(ip.normalized, allow))) {
      out.add("host_not_allowed", "HIGH", u, `"${excerpt(host, 60)}" is not an allowed host (${excerpt(shown, 60)})`, v);
    } else return;
  }
  if (METADATA_HOSTS.has(host.replace(/^\[|\]$/g, "")) || ip?.kind === "metadata" || ip?.kind === "link_local") {
    out.add("cloud_metadata", "CRITICAL", u, `targets the cloud instance-metadata endpoint ${excerpt(host, 40)}, which hands out credentials`, v);
  } else if (ip?.kind === "obfuscated") {
    out.add("obfuscated_ip", "HIGH", u, `an IP address written in decimal/hex/octal form ("${excerpt(host, 40)}") hides its destination`, v);
  } else if (ip?.kind === "private") {
    out.add("private_network", "MEDIUM", u, `targets a private-network address ${excerpt(host, 40)}`, v);
  } else if (ip?.kind === "public") {
    out.add("ip_literal", "MEDIUM", u, `targets a bare IP address ${excerpt(host, 40)} instead of a named host`, v);
  }
  if (!ip) {
    const tunnel = dnsTunnelReason(host);
    if (tunnel) out.add("dns_tunnel", "HIGH", u, `hostname looks like DNS tunnelling (${tunnel})`, v);
  }
}

function exfilService(lower: string): string | null {
  for (const s of EXFIL_SERVICES) {
    const i = lower.indexOf(s);
    if (i >= 0) {
      const before = i === 0 ? "" : lower[i - 1];
      if (!before || /[^a-z0-9-]/.test(before) || before === ".") return s;
    }
  }
  return null;
}

const B64ISH = /^[A-Za-z0-9+/=_-]+$/;

export function scanExfiltration(ctx: Ctx, out: Findings): void {
  for (const u of unitsOf(ctx)) {
    if (!u.isKey && u.length >= LARGE_PAYLOAD) {
      out.add("large_payload", "MEDIUM", u, `a ${u.length}-character argument: bulk data leaving through a tool call`);
    }
    if (!u.isKey && u.raw.length >= 512) {
      const compact = u.raw.replace(/\s+/g, "");
      if (B64ISH.test(compact) && shannonEntropy(compact.slice(0, 8192)) >= 4.5) {
        out.add("encoded_payload", "HIGH", u, `a ${u.length}-character base64/random-looking blob (entropy ${shannonEntropy(compact.slice(0, 8192)).toFixed(1)} bits/char)`);
      }
    }
    for (const v of u.variants) {
      const t = v.text;
      if (v.lower.includes("data:") && DATA_URL.test(t)) out.add("data_url", "MEDIUM", u, `a data: URL carries inline content: "${excerpt(t, 40)}"`, v);
      const svc = v.lower.includes(".") ? exfilService(v.lower) : null;
      if (svc) out.add("known_exfil_service", "HIGH", u, `names ${svc}, a paste/collector service used to receive stolen data`, v);
      let n = 0;
      for (const m of v.lower.includes("://") ? t.matchAll(URL_RE) : []) {
        if (++n > 50) break;
        const scheme = (m[1] as string).toLowerCase();
        if (scheme === "file") continue;
        const { host, query } = parseAuthority(m[2] as string);
        checkHost(ctx, out, u, v, host, m[0]);
        for (const part of query.split("&")) {
          const val = part.slice(part.indexOf("=") + 1);
          if (val.length >= 64 && B64ISH.test(val) && shannonEntropy(val) >= 4) {
            out.add("encoded_query", "HIGH", u, `a ${val.length}-character encoded value in the query string of ${excerpt(host, 40)}`, v);
            break;
          }
        }
      }
      if (n === 0 && t.length >= 40 && t.includes(".")) {
        // Hostnames outside URLs (nslookup, dig, ping, prose): only the DNS-tunnel shape is judged here.
        let k = 0;
        for (const tok of v.lower.split(/[^a-z0-9.-]+/)) {
          if (tok.length < 40 || tok.length > 253 || ++k > 200) continue;
          const host = tok.replace(/^[.-]+|[.-]+$/g, "");
          if (!/^(?:[a-z0-9-]{1,63}\.){2,}[a-z]{2,24}$/.test(host)) continue;
          const tunnel = dnsTunnelReason(host);
          if (tunnel) {
            out.add("dns_tunnel", "HIGH", u, `hostname looks like DNS tunnelling (${tunnel})`, v);
            break;
          }
        }
      }
      if (!u.isKey && HOST_KEYS.test(u.key) && n === 0) {
        const bare = t.trim().toLowerCase();
        if (/^(?:\[[0-9a-f:.]+\]|[a-z0-9.-]{1,253}|[0-9a-fx.]{1,40})(?::\d{1,5})?(?:\/\S*)?$/.test(bare) && (bare.includes(".") || bare.startsWith("[") || /^\d{8,}$/.test(bare) || /^0x/.test(bare))) {
          checkHost(ctx, out, u, v, parseAuthority(bare).host, bare);
        }
      }
    }
  }
}
