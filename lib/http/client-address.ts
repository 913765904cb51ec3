/**
 * The client's address, as the server saw it. Our HTTP servers (tools/server.mjs behind `npm start`,
 * tools/api-server.ts) overwrite CLIENT_IP_HEADER on every request with the socket's remote
 * address (tools/lib/client-address.mjs), so a client cannot choose it; X-Real-IP is never read.
 *
 * X-Forwarded-For counts only when TRUST_PROXY names how many proxies of ours stand in front
 * (TRUST_PROXY=N): each appends the address it received from, so the Nth entry from the right is
 * the one our outermost proxy saw; entries further left are the client's own claims and are ignored.
 * A list shorter than N yields its leftmost entry. Unset, 0 or "false": the socket's address only.
 */
export const CLIENT_IP_HEADER = "x-countersign-client-ip";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]*:[0-9a-f:.]*$/i;

/** A literal IP address, normalised (IPv4-mapped IPv6 → IPv4, brackets and zone dropped); null when it is none. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let a = raw.trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]"));
  a = a.replace(/%.*$/, "");
  if (/^::ffff:\d/i.test(a)) a = a.slice(7);
  if (IPV4.test(a)) return a;
  if (a.length <= 45 && IPV6.test(a) && (a.match(/::/g)?.length ?? 0) <= 1) return a.toLowerCase();
  return null;
}

/** TRUST_PROXY as a hop count: "1", "2", …; anything else (unset, "0", "false", junk) is 0. */
export function trustedProxyHops(value: string | undefined = process.env.TRUST_PROXY): number {
  if (value === undefined) return 0;
  const v = value.trim().toLowerCase();
  if (v === "true") return 1;
  if (!/^\d{1,2}$/.test(v)) return 0;
  return Number(v);
}

/** The address to count a request against (see above); null when no server stamped one (an in-process call). */
export function clientAddress(headers: Headers, hops = trustedProxyHops()): string | null {
  const socket = normalizeAddress(headers.get(CLIENT_IP_HEADER));
  if (hops <= 0) return socket;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (chain.length === 0) return socket;
  return normalizeAddress(chain[Math.max(0, chain.length - hops)]) ?? socket;
}
