import { beforeAll, describe, expect, it } from "vitest";
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { auxCommitment, generateAuxPrimes, startAux, stepAux, type AuxState } from "@/lib/mpc/aux";
import { isSafePrime, verifySafePrime } from "@/lib/mpc/primes";
import { isProbablePrime } from "@/lib/mpc/bigint";
import { ParameterError } from "@/lib/mpc/errors";
import { decodeAuxInfo, type AuxInfo } from "@/lib/mpc/key-share";
import { FAST_TEST } from "@/lib/mpc/params";
import { cloneJson, isAborted, type Message } from "@/lib/mpc/protocol";
import { startSign, stepSign, type EcdsaSignature, type SignState } from "@/lib/mpc/sign";
import { combine, fixturePrimes, randomSid, runKeygenProtocol } from "./fixtures";
import { runParties } from "./harness";

const recorded = new Map<number, { states: Map<number, AuxState>; messages: Message[] }>();
let outputs: Map<number, AuxInfo>;

beforeAll(() => {
  const sid = randomSid();
  const primes = fixturePrimes(3);
  const starts = [0, 1, 2].map((i) => startAux({ index: i, n: 3, sid, primes: primes[i]!, profile: FAST_TEST }));
  const run = runParties<AuxState, AuxInfo>(starts, stepAux, {
    roundTrip: true,
    onRound: (round, messages, states) =>
      recorded.set(round, {
        states: new Map([...states].map(([id, st]) => [id, cloneJson(st)])),
        messages: cloneJson(messages),
      }),
  });
  expect(run.aborts.size).toBe(0);
  outputs = run.outputs;
  // ≈ 10 s of CPU for three parties at m = 128; the generous limit only absorbs a loaded CI machine.
}, 600_000);

describe("aux info generation (3 parties, fixture primes, echo on, JSON round-trip every round)", () => {
  it("every party outputs valid aux info with the same public data", () => {
    expect(outputs.size).toBe(3);
    const decoded = [0, 1, 2].map((i) => decodeAuxInfo(outputs.get(i)!, FAST_TEST));
    for (const d of decoded) expect(d.parties).toEqual(decoded[0]!.parties);
    expect(decoded.map((d) => d.index)).toEqual([0, 1, 2]);
  });

  it("keygen + this aux info sign with a pair", () => {
    const shares = combine(runKeygenProtocol(3, 2), [0, 1, 2].map((i) => outputs.get(i)!));
    const sid = randomSid();
    const messageHash = bytesToHex(randomBytes(32));
    const starts = [0, 2].map((i) => startSign({ share: shares[i]!, signers: [0, 2], messageHash, sid, profile: FAST_TEST }));
    const run = runParties<SignState, EcdsaSignature>(starts, stepSign);
    expect(run.aborts.size).toBe(0);
    expect(run.outputs.get(0)).toEqual(run.outputs.get(2));
  });
});

type Json = Record<string, unknown>;
const bump = (h: string) => h.slice(0, -1) + (parseInt(h.slice(-1), 16) ^ 1).toString(16);

/** Party 0's view of round `round` with party 1's message(s) rewritten by `alter`. */
function replay(round: number, alter: (payload: Json, m: Message) => Json, recommit = false) {
  const rec = recorded.get(round)!;
  const state = cloneJson(rec.states.get(0)!);
  const incoming = rec.messages
    .filter((m) => m.from !== 0 && (m.to === "all" || m.to === 0))
    .map((m) => (m.from === 1 ? { ...m, payload: alter(cloneJson(m.payload) as Json, m) } : m));
  if (recommit) {
    // A malicious party 1 that committed to the altered decommitment in round 1.
    const d = incoming.find((m) => m.from === 1)!.payload as Parameters<typeof auxCommitment>[2];
    state.commitments[1] = auxCommitment(state.sid, 1, d);
  }
  return stepAux(state, incoming);
}

describe("aux info: misbehaviour is blamed on the sender", () => {
  it.each<[string, number, (p: Json) => Json, boolean, RegExp]>([
    ["altered echo hash", 2, (p) => ({ ...p, h: bump(p.h as string) }), false, /^echo\.mismatch$/],
    ["decommitted N altered in transit", 3, (p) => ({ ...p, N: bump(p.N as string) }), false, /^hash_commitment$/],
    ["committed short modulus", 3, (p) => ({ ...p, N: fixturePrimes(1)[0]!.p.toString(16) }), true, /^modulus_size\.N$/],
    ["committed bad Π^prm (s not in <t>)", 3, (p) => ({ ...p, s: bump(p.s as string) }), true, /^prm\./],
    ["Π^mod response altered", 4, (p) => ({ ...p, mod: { ...(p.mod as Json), w: bump((p.mod as Json).w as string) } }), false, /^(mod|decode\.mod)/],
    ["Π^fac response altered", 4, (p) => ({ ...p, fac: { ...(p.fac as Json), v: bump((p.fac as Json).v as string) } }), false, /^(fac|decode\.fac)/],
  ])("%s", (_name, round, alter, recommit, check) => {
    const r = replay(round, alter, recommit);
    expect(isAborted(r)).toBe(true);
    if (!isAborted(r)) return;
    expect(r.abort.party).toBe(1);
    expect(r.abort.round).toBe(round);
    expect(r.abort.check).toMatch(check);
  });
});

describe("generateAuxPrimes", () => {
  it("returns four distinct safe primes of the profile's size and reports progress per prime", async () => {
    const events: Array<{ prime: number; done: boolean }> = [];
    const primes = await generateAuxPrimes({ ...FAST_TEST, primeBits: 64 }, { onProgress: (p) => events.push(p) });
    const list = [primes.p, primes.q, primes.pHat, primes.qHat];
    expect(new Set(list).size).toBe(4);
    for (const p of list) {
      expect(p.toString(2)).toHaveLength(64);
      expect(isSafePrime(p, 64)).toBe(true);
    }
    expect(events.filter((e) => e.done).map((e) => e.prime)).toEqual([0, 1, 2, 3]);
  });
});

describe("a party re-checks its own aux primes", () => {
  const good = () => fixturePrimes(1)[0]!;
  /** A prime of the same size, ≡ 3 mod 4, whose (p−1)/2 is composite: a Blum prime, not a safe prime. */
  function blumNotSafe(bits: number): bigint {
    for (let p = (1n << BigInt(bits - 1)) + 3n; ; p += 4n) if (isProbablePrime(p, 20) && !isProbablePrime((p - 1n) / 2n, 20)) return p;
  }

  it("accepts four safe primes of the profile's size", () => {
    expect(() => startAux({ index: 0, n: 2, sid: randomSid(), primes: good(), profile: FAST_TEST })).not.toThrow();
    for (const p of Object.values(good())) expect(verifySafePrime(p, FAST_TEST.primeBits)).toBe(true);
  });

  it.each([
    ["a composite ≡ 3 mod 4 of the right size", (p: bigint) => p + 4n],
    ["a prime that is not a safe prime", () => blumNotSafe(FAST_TEST.primeBits)],
    ["a safe prime of another size", () => fixturePrimes(1)[0]!.p >> 1n | 3n],
  ])("refuses %s", (_label, replace) => {
    const primes = { ...good() };
    primes.qHat = replace(primes.qHat);
    expect(() => startAux({ index: 0, n: 2, sid: randomSid(), primes, profile: FAST_TEST })).toThrow(ParameterError);
  });
});
