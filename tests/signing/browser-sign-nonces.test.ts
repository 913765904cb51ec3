/**
 * The send dialog's signing worker (lib/signing/browser/sign-runner.ts) precomputes one session's
 * Paillier nonces (and, given the server's ring-Pedersen parameters, commitment masks) for the public
 * values it is given while the dialog is open, stops when the
 * session starts, and shrugs off a malformed modulus.
 */
import { describe, expect, it } from "vitest";
import { FAST_TEST, maskSlots, NoncePool, PRODUCTION } from "@/lib/mpc";
import { modPow } from "@/lib/mpc/bigint";
import { generateRingPedersen } from "@/lib/mpc/ring-pedersen";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { createSignRunner } from "@/lib/signing/browser/sign-runner";
import type { SignWorkerResponse } from "@/lib/signing/browser/messages";

const f = fixtureSafePrimes(1024);
const user = f[0]! * f[1]!;
const server = f[4]! * f[5]!;

describe("browser signing worker: nonces while the dialog is open", () => {
  it("computes 8 nonces for the user's modulus and 4 for the server's, each r^N mod N² of its key", async () => {
    const pool = new NoncePool();
    const posted: SignWorkerResponse[] = [];
    const handle = createSignRunner((m) => posted.push(m), pool);
    await handle({ type: "precompute", moduli: { user: user.toString(16), server: server.toString(16) } });
    expect(pool.size(user)).toBe(8);
    expect(pool.size(server)).toBe(4);
    expect(posted).toEqual([]);
    const n = pool.take(server)!;
    let r = 1n;
    let x = n.r;
    for (let e = server; e > 0n; e >>= 1n) {
      if (e & 1n) r = (r * x) % (server * server);
      x = (x * x) % (server * server);
    }
    expect(n.rN).toBe(r);
  });

  it("given the server's ring-Pedersen parameters, also computes one session's commitment masks under them", async () => {
    const pool = new NoncePool();
    const handle = createSignRunner(() => undefined, pool);
    const rp = generateRingPedersen(f[6]!, f[7]!);
    const hex = (x: bigint) => x.toString(16);
    await handle({ type: "precompute", moduli: { user: hex(user), server: hex(server) }, ringPedersen: { server: { N: hex(rp.N), s: hex(rp.s), t: hex(rp.t) }, profile: "fast-test" } });
    const slots = maskSlots(rp, FAST_TEST);
    expect(pool.maskSize(slots.ell)).toBe(6);
    expect(pool.maskSize(slots.ellEps)).toBe(6);
    expect(pool.maskSize(maskSlots(rp, PRODUCTION).ell)).toBe(0);
    const m = pool.takeMask(slots.ellEps)!;
    expect(m.ty).toBe(modPow(rp.t, m.y, rp.N));
  });

  it("a session request stops the background fill; a malformed modulus only means no nonces", async () => {
    const pool = new NoncePool();
    const posted: SignWorkerResponse[] = [];
    const handle = createSignRunner((m) => posted.push(m), pool);
    await handle({ type: "precompute", moduli: { user: "not hex", server: server.toString(16) } });
    expect(pool.size(server)).toBe(0);

    const pool2 = new NoncePool();
    const handle2 = createSignRunner((m) => posted.push(m), pool2);
    const filling = handle2({ type: "precompute", moduli: { user: user.toString(16), server: server.toString(16) } });
    // The session (here an invalid one: the worker answers with an error) aborts the fill at once.
    await handle2({ type: "start", profile: "nope" } as never);
    await filling;
    expect(pool2.size(user) + pool2.size(server)).toBe(1);
    expect(posted.at(-1)).toMatchObject({ type: "error" });
  });
});
