/**
 * A push endpoint is a URL a signed-in member hands us and the server then POSTs to, so it must not
 * become a way to reach the server's own network (SSRF). Real push services are public HTTPS hosts:
 * in production, endpoints naming loopback, private, link-local or otherwise reserved addresses are
 * refused when registered, and the connection itself refuses such addresses after DNS resolution
 * (so a public name that resolves to 10.0.0.5 fails too). PUSH_ALLOW_PRIVATE_ENDPOINTS=1 lifts this
 * for local receivers; it is lifted by default outside production.
 */
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent } from "node:https";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/config/env";

const reserved = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  reserved.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  reserved.addSubnet(net, prefix, "ipv6");

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped IPv6 included). */
export function isReservedAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped) return isReservedAddress(mapped[1]!);
  const family = isIP(bare);
  if (family === 0) return false;
  return reserved.check(bare, family === 4 ? "ipv4" : "ipv6");
}

export function privateEndpointsAllowed(): boolean {
  const e = env();
  return e.PUSH_ALLOW_PRIVATE_ENDPOINTS ? e.PUSH_ALLOW_PRIVATE_ENDPOINTS === "1" : e.NODE_ENV !== "production";
}

/** Why this endpoint host may not be used, or null. Checks the literal host only; see guardedAgent for DNS. */
export function endpointHostProblem(url: URL): string | null {
  if (privateEndpointsAllowed()) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || !host.includes(".") && isIP(host) === 0) return "Must be a public push service host";
  if (isReservedAddress(host)) return "Must not be a loopback, private or reserved address";
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isReservedAddress(a.address));
    if (bad || list.length === 0) {
      const e: NodeJS.ErrnoException = new Error(`Push endpoint ${hostname} resolves to a reserved address; refused`);
      e.code = "EPUSHRESERVED";
      return callback(e, []);
    }
    if (options.all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

let agent: Agent | undefined;

/** The HTTPS agent push deliveries use: undefined (Node's default) when private endpoints are allowed. */
export function guardedAgent(): Agent | undefined {
  if (privateEndpointsAllowed()) return undefined;
  agent ??= new Agent({ keepAlive: true, lookup: guardedLookup as never });
  return agent;
}
