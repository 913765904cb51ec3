import { createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientAddress, normalizeAddress, trustedProxyHops } from "@/lib/http/client-address";
import { requestContext } from "@/lib/http/request-context";
import { CLIENT_IP_HEADER as STAMPED_HEADER, stampClientAddress } from "@/tools/lib/client-address.mjs";

const h = (o: Record<string, string>) => new Headers(o);

describe("client address", () => {
  it("is the address our server stamped; X-Real-IP and X-Forwarded-For are ignored without TRUST_PROXY", () => {
    const headers = h({ [CLIENT_IP_HEADER]: "198.51.100.7", "x-real-ip": "10.0.0.1", "x-forwarded-for": "10.0.0.2" });
    expect(clientAddress(headers, 0)).toBe("198.51.100.7");
    expect(clientAddress(h({ "x-real-ip": "10.0.0.1", "x-forwarded-for": "10.0.0.2" }), 0)).toBeNull();
    expect(clientAddress(h({ [CLIENT_IP_HEADER]: "::ffff:203.0.113.9" }), 0)).toBe("203.0.113.9");
    expect(clientAddress(h({ [CLIENT_IP_HEADER]: "not an address" }), 0)).toBeNull();
  });

  it("takes the Nth X-Forwarded-For entry from the right when TRUST_PROXY=N", () => {
    const headers = h({ [CLIENT_IP_HEADER]: "10.0.0.9", "x-forwarded-for": "6.6.6.6, 198.51.100.1, 10.0.0.5" });
    expect(clientAddress(headers, 1)).toBe("10.0.0.5");
    expect(clientAddress(headers, 2)).toBe("198.51.100.1");
    expect(clientAddress(headers, 3)).toBe("6.6.6.6");
    expect(clientAddress(headers, 9)).toBe("6.6.6.6"); // shorter than the hop count: the leftmost
    expect(clientAddress(h({ [CLIENT_IP_HEADER]: "10.0.0.9" }), 1)).toBe("10.0.0.9"); // no header: the socket
    expect(clientAddress(h({ [CLIENT_IP_HEADER]: "10.0.0.9", "x-forwarded-for": "junk" }), 1)).toBe("10.0.0.9");
  });

  it("reads TRUST_PROXY as a hop count", () => {
    expect([undefined, "", "0", "false", "yes", "-1", "1.5"].map((v) => trustedProxyHops(v))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect([trustedProxyHops("1"), trustedProxyHops("true"), trustedProxyHops(" 2 "), trustedProxyHops("3")]).toEqual([1, 1, 2, 3]);
  });

  it("normalises addresses", () => {
    expect(normalizeAddress("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeAddress("256.1.1.1")).toBeNull();
    expect(normalizeAddress("1::2::3")).toBeNull();
  });

  it("reaches requestContext from the stamped header, under TRUST_PROXY from the environment", () => {
    const req = new Request("http://localhost/x", { headers: { [CLIENT_IP_HEADER]: "192.0.2.10", "x-forwarded-for": "192.0.2.99", "x-real-ip": "192.0.2.77" } });
    const saved = process.env.TRUST_PROXY;
    try {
      delete process.env.TRUST_PROXY;
      expect(requestContext(req).ip).toBe("192.0.2.10");
      process.env.TRUST_PROXY = "1";
      expect(requestContext(req).ip).toBe("192.0.2.99");
    } finally {
      if (saved === undefined) delete process.env.TRUST_PROXY;
      else process.env.TRUST_PROXY = saved;
    }
  });
});

describe("the servers' stamp (tools/lib/client-address.mjs)", () => {
  it("uses the same header name the handlers read", () => {
    expect(STAMPED_HEADER).toBe(CLIENT_IP_HEADER);
  });

  it("replaces whatever the client sent with the socket's address, on a real node:http server", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const raws: string[][] = [];
    const server = createServer((req, res) => {
      stampClientAddress(req);
      seen.push({ ...req.headers });
      raws.push([...req.rawHeaders]);
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      await new Promise<void>((resolve, reject) => {
        const r = request({ host: "127.0.0.1", port, path: "/", headers: { [CLIENT_IP_HEADER]: "6.6.6.6", "x-real-ip": "7.7.7.7" } }, (res) => {
          res.resume();
          res.on("end", resolve);
        });
        r.on("error", reject);
        r.end();
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(seen[0]![CLIENT_IP_HEADER]).toBe("127.0.0.1");
    expect(raws[0]!.map((s) => s.toLowerCase())).not.toContain(CLIENT_IP_HEADER);
    expect(raws[0]).not.toContain("6.6.6.6");
  });
});
