import { createECDH, createHmac, createDecipheriv, createPublicKey, createVerify, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A local push service for tests: HTTPS with a throwaway self-signed certificate, checks the VAPID
 * JWT (RFC 8292), decrypts the aes128gcm payload (RFC 8188 + RFC 8291) with the browser-side keys,
 * and answers whatever status the test scripts per endpoint.
 */
export type Received = { path: string; headers: Record<string, string | string[] | undefined>; payload: unknown; vapid: { aud: string; sub: string; k: string } };

export type BrowserKeys = { ecdh: ReturnType<typeof createECDH>; p256dh: string; auth: Buffer };

export function browserKeys(): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { ecdh, p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16) };
}

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 §3.4 + RFC 8188: one aes128gcm record, decrypted with the user agent's keys. */
export function decryptAes128gcm(body: Buffer, keys: BrowserKeys): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65 || ciphertext.length > rs) throw new Error("unexpected aes128gcm header");
  const uaPublic = keys.ecdh.getPublicKey();
  const ecdhSecret = keys.ecdh.computeSecret(asPublic);
  const prkKey = hmac(keys.auth, ecdhSecret);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "binary")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "binary")).subarray(0, 12);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("missing last-record delimiter");
  return padded.subarray(0, end);
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>` and returns the verified claims. */
function verifyVapid(header: string | undefined): { aud: string; sub: string; k: string; exp: number } {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`bad Authorization header: ${header}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const point = Buffer.from(k, "base64url");
  const key = createPublicKey({ key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") }, format: "jwk" });
  const ok = createVerify("sha256").update(`${h}.${p}`).verify({ key, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  if (!ok) throw new Error("VAPID JWT signature does not verify");
  return { ...(JSON.parse(Buffer.from(p, "base64url").toString()) as { aud: string; sub: string; exp: number }), k };
}

export type Receiver = {
  url: string;
  agent: Agent;
  received: Received[];
  /** Status answers per path, consumed in order; when exhausted, 201. */
  script: Map<string, number[]>;
  keysFor: Map<string, BrowserKeys>;
  close(): Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const dir = mkdtempSync(path.join(tmpdir(), "push-receiver-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], { stdio: "ignore" });
  const key = readFileSync(path.join(dir, "key.pem"));
  const cert = readFileSync(path.join(dir, "cert.pem"));
  rmSync(dir, { recursive: true, force: true });
  const received: Received[] = [];
  const script = new Map<string, number[]>();
  const keysFor = new Map<string, BrowserKeys>();
  const server: Server = createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const p = req.url ?? "/";
      const planned = script.get(p)?.shift();
      if (planned !== undefined && planned !== 201) {
        res.writeHead(planned).end("scripted failure");
        return;
      }
      try {
        const keys = keysFor.get(p);
        if (!keys) throw new Error(`no browser keys for ${p}`);
        const vapid = verifyVapid(req.headers.authorization);
        const payload = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), keys).toString("utf8")) as unknown;
        received.push({ path: p, headers: req.headers, payload, vapid });
        res.writeHead(201, { location: `${p}/messages/${received.length}` }).end();
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ ca: cert });
  return {
    url: `https://127.0.0.1:${port}`,
    agent,
    received,
    script,
    keysFor,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
