import { describe, expect, it } from "vitest";
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { G, q } from "@/lib/mpc/curve";
import { decodeCoreShare, type CoreKeyShare } from "@/lib/mpc/key-share";
import { startKeygen, stepKeygen, type KeygenState } from "@/lib/mpc/keygen";
import { lagrangeCoefficient } from "@/lib/mpc/lagrange";
import { MessageRejected } from "@/lib/mpc/wire";
import { FAST_TEST } from "@/lib/mpc/params";
import { runParties } from "./harness";
import { deserializeState, serializeState, StateError, type Message } from "@/lib/mpc/protocol";

function runKeygen(n: number, t: number, opts: Parameters<typeof runParties<KeygenState, CoreKeyShare>>[2] = {}, echo?: boolean) {
  const sid = bytesToHex(randomBytes(32));
  const starts = Array.from({ length: n }, (_, i) => startKeygen({ index: i, n, threshold: t, sid, profile: FAST_TEST, echo }));
  return { sid, starts, ...runParties<KeygenState, CoreKeyShare>(starts, stepKeygen, opts) };
}

describe("threshold keygen", () => {
  it.each([
    [2, 3],
    [3, 3],
    [2, 2],
  ])("%i-of-%i: all parties agree and every t-subset reconstructs pk", (t, n) => {
    const { outputs, aborts } = runKeygen(n, t, { roundTrip: true });
    expect(aborts.size).toBe(0);
    expect(outputs.size).toBe(n);
    const shares = [...outputs.values()].map(decodeCoreShare);
    for (const s of shares) {
      expect(s.publicKey.equals(shares[0]!.publicKey)).toBe(true);
      expect(s.publicShares.map((X) => X.toHex())).toEqual(shares[0]!.publicShares.map((X) => X.toHex()));
    }
    const sets = t === 2 && n === 3 ? [[0, 1], [0, 2], [1, 2]] : [Array.from({ length: n }, (_, k) => k)];
    for (const set of sets) {
      const x = set.reduce((acc, idx, p) => acc + lagrangeCoefficient(set, p) * shares[idx]!.secret, 0n);
      expect(G.multiply(x % q).equals(shares[0]!.publicKey)).toBe(true);
    }
  });

  it("without echo takes one round less", () => {
    const { outputs, transcript } = runKeygen(3, 2, {}, false);
    expect(outputs.size).toBe(3);
    expect(Math.max(...transcript.map((m) => m.round))).toBe(3);
  });

  it("an altered round-1 commitment (echo off) is caught at decommitment and blames its sender", () => {
    let done = false;
    const { aborts } = runKeygen(3, 2, {
      tamper: (m) => {
        if (done || m.from !== 1 || m.round !== 1) return m;
        done = true;
        return withField(m, "V", flipHex);
      },
    }, false);
    expect(done).toBe(true);
    expect([...aborts.entries()].filter(([id]) => id !== 1).map(([, b]) => [b.party, b.check])).toEqual([
      [1, "hash_commitment"],
      [1, "hash_commitment"],
    ]);
  });

  it("a party committing to a polynomial of the wrong degree is blamed with feldman.size", () => {
    const sid = bytesToHex(randomBytes(32));
    const starts = [0, 1, 2].map((i) => startKeygen({ index: i, n: 3, threshold: i === 1 ? 3 : 2, sid, profile: FAST_TEST }));
    const { aborts } = runParties<KeygenState, CoreKeyShare>(starts, stepKeygen);
    for (const honest of [0, 2]) {
      expect(aborts.get(honest)).toMatchObject({ party: 1, check: "feldman.size", round: 3 });
    }
  });

  const tamperCases: Array<[string, (m: Message) => Message | null, string]> = [
    ["echo hash", (m) => (m.round === 2 ? withField(m, "h", flipHex) : null), "echo.mismatch"],
    ["decommitted rid", (m) => (m.round === 3 && m.to === "all" ? withField(m, "rid", flipHex) : null), "hash_commitment"],
    ["decommitted A", (m) => (m.round === 3 && m.to === "all" ? withField(m, "A", () => G.multiply(5n).toHex(true)) : null), "hash_commitment"],
    ["private share σ", (m) => (m.round === 3 && m.to !== "all" ? withField(m, "sigma", () => "00".repeat(31) + "07") : null), "feldman.share"],
    ["Schnorr response z", (m) => (m.round === 4 ? withField(m, "z", () => "00".repeat(31) + "09") : null), "sch.equation"],
    ["malformed σ", (m) => (m.round === 3 && m.to !== "all" ? withField(m, "sigma", () => "ff".repeat(32)) : null), "decode.sigma"],
  ];

  it.each(tamperCases)("altered %s aborts with blame on its sender", (_name, alter, check) => {
    let done = false;
    const { aborts } = runKeygen(3, 2, {
      tamper: (m) => {
        if (done || m.from !== 1) return m;
        const r = alter(m);
        if (!r) return m;
        done = true;
        return r;
      },
    });
    expect(done).toBe(true);
    const blamed = [...aborts.entries()].filter(([id]) => id !== 1).map(([, b]) => b);
    expect(blamed.length).toBeGreaterThan(0);
    for (const b of blamed) {
      expect(b.party).toBe(1);
      expect(b.check).toBe(check);
    }
  });

  it("rejects replayed, out-of-round, wrong-sid, misaddressed and unknown-sender messages", () => {
    const sid = bytesToHex(randomBytes(32));
    const starts = [0, 1, 2].map((i) => startKeygen({ index: i, n: 3, threshold: 2, sid }));
    const m1 = starts[1]!.outgoing[0]!;
    const s0 = starts[0]!.state;
    const after = stepKeygen(s0, [m1]);
    if (!("state" in after)) throw new Error("expected continue");
    expect(() => stepKeygen(after.state, [m1])).toThrow(MessageRejected);
    const reject = (m: unknown, check: string) => {
      try {
        stepKeygen(s0, [m]);
      } catch (e) {
        expect(e).toBeInstanceOf(MessageRejected);
        expect((e as MessageRejected).check).toBe(check);
        return;
      }
      throw new Error(`not rejected: ${check}`);
    };
    reject({ ...m1, round: 2 }, "round");
    reject({ ...m1, sid: "00".repeat(32) }, "sid");
    reject({ ...m1, from: 7 }, "sender");
    reject({ ...m1, from: 0 }, "sender");
    reject({ ...m1, to: 2 }, "recipient");
    reject({ ...m1, to: 0 }, "recipient");
    reject({ ...m1, v: 2 }, "version");
    reject({ ...m1, protocol: "sign" }, "protocol");
    reject({ ...m1, payload: null }, "shape");
    expect(() => stepKeygen(s0, [m1, m1])).toThrow(/duplicate/);
    expect(s0.inbox).toEqual([]);
  });
});

describe("state serialisation", () => {
  it("rejects stored states of another version or protocol, and non-JSON", () => {
    const { state } = startKeygen({ index: 0, n: 2, threshold: 2, sid: bytesToHex(randomBytes(32)) });
    const json = serializeState(state);
    expect(deserializeState<KeygenState>(json, "keygen")).toEqual(state);
    expect(() => deserializeState(json, "sign")).toThrow(StateError);
    expect(() => deserializeState(JSON.stringify({ ...state, v: 2 }), "keygen")).toThrow(/version/);
    expect(() => deserializeState(JSON.stringify({ ...state, round: 0 }), "keygen")).toThrow(/round/);
    expect(() => deserializeState("{", "keygen")).toThrow(StateError);
  });

  it("step never mutates the caller's state", () => {
    const sid = bytesToHex(randomBytes(32));
    const a = startKeygen({ index: 0, n: 2, threshold: 2, sid });
    const b = startKeygen({ index: 1, n: 2, threshold: 2, sid });
    const before = serializeState(a.state);
    const r = stepKeygen(a.state, b.outgoing);
    expect(serializeState(a.state)).toBe(before);
    expect("state" in r && r.state.round).toBe(2);
  });
});

function flipHex(h: string): string {
  return (h[0] === "0" ? "1" : "0") + h.slice(1);
}

function withField(m: Message, name: string, f: (old: string) => string): Message {
  const payload = { ...(m.payload as Record<string, string>) };
  payload[name] = f(payload[name] ?? "");
  return { ...m, payload };
}
