/**
 * MPC in real Web Workers: bundles the worker entry points and a harness page with esbuild, serves them
 * from a throw-away node:http server, runs 2-of-3 keygen + aux and a 2-party signing in Chromium, and
 * verifies the signature back in Node. Independent of the app.
 */
import { expect, test } from "@playwright/test";
import { build } from "esbuild";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex, hexToBytes, randomBytes } from "@noble/hashes/utils.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { recoverAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { dealAuxInfo, dealCoreShares } from "../lib/mpc/dealer";
import type { KeyShare } from "../lib/mpc/key-share";
import { generateRingPedersen } from "../lib/mpc/ring-pedersen";
import type { EcdsaSignature } from "../lib/mpc/sign";
import type { HarnessInput, HarnessResult, SignInput } from "./fixtures/mpc/harness";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixtureDir = path.join(root, "e2e/fixtures/mpc");
let outdir = "";
let server: http.Server;
let origin = "";

test.describe.configure({ mode: "serial", timeout: 600_000 });

test.beforeAll(async () => {
  outdir = mkdtempSync(path.join(tmpdir(), "mpc-workers-"));
  await build({
    entryPoints: {
      "keygen.worker": path.join(root, "lib/mpc/worker/keygen.worker.ts"),
      "sign.worker": path.join(root, "lib/mpc/worker/sign.worker.ts"),
      "prime.worker": path.join(root, "lib/mpc/worker/prime.worker.ts"),
      "repetition.worker": path.join(root, "lib/mpc/worker/repetition.worker.ts"),
      harness: path.join(fixtureDir, "harness.ts"),
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir,
    tsconfig: path.join(root, "tsconfig.json"),
    logLevel: "warning",
  });
  copyFileSync(path.join(fixtureDir, "index.html"), path.join(outdir, "index.html"));
  server = http.createServer((req, res) => {
    const name = req.url === "/" ? "index.html" : (req.url ?? "").replace(/^\//, "");
    if (!/^[\w.-]+\.(js|html)$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(path.join(outdir, name));
      res.writeHead(200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/html" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** TEST ONLY: dealt 2-of-3 shares with aux built from the eight 1536-bit fixture primes. */
function productionShares(): KeyShare[] {
  const { primes } = JSON.parse(readFileSync(path.join(root, "lib/mpc/fixtures/safe-primes-1536.json"), "utf8")) as {
    primes: string[];
  };
  const fp = primes.map((h) => BigInt("0x" + h));
  // Party 2 re-pairs factors of the others: distinct moduli, enough for a signing benchmark only.
  const sets = [[0, 1, 2, 3], [4, 5, 6, 7], [0, 2, 5, 7]].map(([a, b, c, d]) => ({ p: fp[a!]!, q: fp[b!]!, pHat: fp[c!]!, qHat: fp[d!]! }));
  const aux = dealAuxInfo(sets.map((e) => ({ ...e, ...sAndT(generateRingPedersen(e.pHat, e.qHat)) })));
  const core = dealCoreShares({ secret: 0xfeedn, threshold: 2, n: 3 });
  return core.map((c, i) => ({ core: c, aux: aux[i]! }));
}

/** Only s and t: the generator's result also carries its own p, q, which must not override Paillier's. */
function sAndT(rp: { s: bigint; t: bigint }): { s: bigint; t: bigint } {
  return { s: rp.s, t: rp.t };
}

function fixturePrimes(): HarnessInput["primes"] {
  const { primes } = JSON.parse(readFileSync(path.join(root, "lib/mpc/fixtures/safe-primes-1024.json"), "utf8")) as {
    primes: string[];
  };
  return [0, 1, 2].map((i) => ({ p: primes[4 * i]!, q: primes[4 * i + 1]!, pHat: primes[4 * i + 2]!, qHat: primes[4 * i + 3]! }));
}

test("2-of-3 keygen + aux and signing run in Web Workers; Node verifies the signature", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(origin + "/");
  await page.waitForFunction(() => "mpcHarness" in globalThis);
  const input: HarnessInput = {
    primes: fixturePrimes(),
    signers: [1, 2],
    messageHash: bytesToHex(keccak_256(randomBytes(64))),
    sids: { keygen: bytesToHex(randomBytes(32)), aux: bytesToHex(randomBytes(32)), sign: bytesToHex(randomBytes(32)) },
  };
  const result = await page.evaluate(
    (inp) => (globalThis as unknown as { mpcHarness: { runMpc(i: HarnessInput): Promise<HarnessResult> } }).mpcHarness.runMpc(inp),
    input,
  );
  expect(errors).toEqual([]);
  const { signature: sig, publicKey } = result;
  expect(sig.messageHash).toBe(input.messageHash);
  expect(result.shares.map((s) => s.core.publicKey)).toEqual([publicKey, publicKey, publicKey]);
  const r = BigInt("0x" + sig.r);
  const s = BigInt("0x" + sig.s);
  const compact = new secp256k1.Signature(r, s).toBytes("compact");
  expect(secp256k1.verify(compact, hexToBytes(input.messageHash), hexToBytes(publicKey), { prehash: false })).toBe(true);
  const address = await recoverAddress({
    hash: `0x${input.messageHash}`,
    signature: { r: `0x${sig.r}`, s: `0x${sig.s}`, yParity: sig.v },
  });
  expect(address).toBe(publicKeyToAddress(`0x${secp256k1.Point.fromHex(publicKey).toHex(false)}`));
});

test("production-size 2-party signing in Web Workers with nonces prepared ahead (dealt shares, fixture 1536-bit primes)", async ({ page }) => {
  await page.goto(origin + "/");
  await page.waitForFunction(() => "mpcHarness" in globalThis);
  const shares = productionShares();
  const messageHash = bytesToHex(keccak_256(randomBytes(32)));
  const input: SignInput = { shares, signers: [0, 1], messageHash, sid: bytesToHex(randomBytes(32)), profile: "production", prepared: true };
  const { signature: sig, ms, preparedNonces } = await page.evaluate(
    (inp) =>
      (globalThis as unknown as { mpcHarness: { signInWorkers(i: SignInput): Promise<{ signature: EcdsaSignature; ms: number; preparedNonces: number[] }> } })
        .mpcHarness.signInWorkers(inp),
    input,
  );
  console.log(`Chromium, production profile: nonce preparation and 2-party interactive signing in Web Workers took ${Math.round(ms)} ms`);
  // Each party's session demand: its own nonces and one per peer key (lib/mpc/nonces.ts signSessionNonceDemand).
  expect(preparedNonces).toHaveLength(2);
  for (const n of preparedNonces) expect(n).toBeGreaterThan(1);
  const compact = new secp256k1.Signature(BigInt("0x" + sig.r), BigInt("0x" + sig.s)).toBytes("compact");
  expect(secp256k1.verify(compact, hexToBytes(messageHash), hexToBytes(shares[0]!.core.publicKey), { prehash: false })).toBe(true);
});

test("the prime worker returns a safe prime and reports progress", async ({ page }) => {
  await page.goto(origin + "/");
  await page.waitForFunction(() => "mpcHarness" in globalThis);
  const out = await page.evaluate(
    (bits) =>
      (globalThis as unknown as { mpcHarness: { primeFromWorker(b: number): Promise<{ prime: string; progressEvents: number }> } })
        .mpcHarness.primeFromWorker(bits),
    256,
  );
  const p = BigInt("0x" + out.prime);
  expect(p.toString(2).length).toBe(256);
  expect(p % 4n).toBe(3n);
  const half = (p - 1n) / 2n;
  // Fermat checks in Node on p and (p−1)/2 as an independent sanity check of primality.
  for (const n of [p, half]) for (const a of [2n, 3n, 5n, 7n]) expect(modPow(a, n - 1n, n)).toBe(1n);
  expect(out.progressEvents).toBeGreaterThanOrEqual(1);
});

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
