import { beforeAll, describe, expect, it } from "vitest";
import { bytesToHex, randomBytes } from "@noble/hashes/utils.js";
import { G } from "@/lib/mpc/curve";
import { dealCoreShares } from "@/lib/mpc/dealer";
import { FAST_TEST } from "@/lib/mpc/params";
import { cloneJson, deserializeState, isAborted, serializeState, type Message } from "@/lib/mpc/protocol";
import { startSign, stepSign, type SignState } from "@/lib/mpc/sign";
import { MessageRejected } from "@/lib/mpc/wire";
import { combine, dealtAux, randomSid } from "./fixtures";
import { runParties } from "./harness";

/** Pre-step state of party 0 and the messages it received, per round, from an honest run. */
interface Recorded {
  state: SignState;
  incoming: Message[];
}

const rounds = new Map<number, Recorded>();

beforeAll(() => {
  const shares = combine(dealCoreShares({ secret: 0xc0ffeen, threshold: 2, n: 3 }), dealtAux(3));
  const sid = randomSid();
  const messageHash = bytesToHex(randomBytes(32));
  const starts = [0, 1].map((i) => startSign({ share: shares[i]!, signers: [0, 1], messageHash, sid, profile: FAST_TEST }));
  const { outputs } = runParties(starts, stepSign, {
    onRound: (round, messages, states) => {
      const s0 = states.get(0);
      if (s0) rounds.set(round, { state: cloneJson(s0), incoming: cloneJson(messages.filter((m) => m.from === 1)) });
    },
  });
  expect(outputs.size).toBe(2);
});

type Json = Record<string, unknown>;

function setPath(payload: unknown, path: readonly string[], f: (old: string) => string): Json {
  const copy = cloneJson(payload) as Json;
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  const last = path[path.length - 1]!;
  node[last] = f(node[last] as string);
  return copy;
}

/** Change the last hex digit: same length and format, different value. */
const bump = (h: string) => h.slice(0, -1) + (parseInt(h.slice(-1), 16) ^ 1).toString(16);
const otherPoint = () => G.multiply(123456789n).toHex(true);

const cases: Array<[string, number, "all" | "p2p", string[], (old: string) => string, RegExp]> = [
  ["R1a ciphertext K", 1, "all", ["K"], bump, /^enc_elg\./],
  ["R1a El-Gamal key Y", 1, "all", ["Y"], otherPoint, /^enc_elg\./],
  ["R1a commitment B2", 1, "all", ["B2"], otherPoint, /^enc_elg\./],
  ["R1a ciphertext K with a bad length", 1, "all", ["K"], (h) => h + "00", /^decode\.K$/],
  ["Π^enc-elg ψ0 response z1", 1, "p2p", ["psi0", "z1"], bump, /^enc_elg\./],
  ["Π^enc-elg ψ1 commitment S", 1, "p2p", ["psi1", "S"], bump, /^enc_elg\./],
  ["R2 point Γ_j", 2, "p2p", ["Gamma"], otherPoint, /^(elog|aff_g)\./],
  ["R2 ciphertext D", 2, "p2p", ["D"], bump, /^aff_g\./],
  ["R2 ciphertext F̂", 2, "p2p", ["FHat"], bump, /^aff_g\./],
  ["Π^elog ψ̃ response z", 2, "p2p", ["psiTilde", "z"], bump, /^elog\./],
  ["Π^aff-g ψ̂ response z2", 2, "p2p", ["psiHat", "z2"], bump, /^aff_g\./],
  ["Π^aff-g ψ response z1 of 10 000 bits", 2, "p2p", ["psi", "z1"], () => "00" + "ff".repeat(1250), /^decode\.aff_g\.z1$/],
  ["R3 δ_j", 3, "all", ["delta"], bump, /^delta_mismatch$/],
  ["R3 S_j", 3, "all", ["S"], otherPoint, /^delta_mismatch$/],
  ["R3 Δ_j", 3, "all", ["Delta"], otherPoint, /^elog\./],
  ["Π^elog ψ' response u", 3, "all", ["psiPrime", "u"], bump, /^elog\./],
  ["R4 partial signature σ_j", 4, "all", ["sigma"], bump, /^sigma$/],
];

describe("signing: altered messages abort with blame on the sender", () => {
  it.each(cases)("%s", (_name, round, slot, path, alter, check) => {
    const rec = rounds.get(round)!;
    const incoming = rec.incoming.map((m) =>
      (slot === "all") === (m.to === "all") ? { ...m, payload: setPath(m.payload, path, alter) } : m,
    );
    const r = stepSign(rec.state, incoming);
    expect(isAborted(r)).toBe(true);
    if (!isAborted(r)) return;
    expect(r.abort.party).toBe(1);
    expect(r.abort.protocol).toBe("sign");
    expect(r.abort.round).toBe(round);
    expect(r.abort.check).toMatch(check);
  });

  it("the untampered recorded round still completes (the cases above fail only because of the change)", () => {
    const rec = rounds.get(4)!;
    // σ_i was released in round 3, so the presignature secrets are gone and cannot sign again.
    expect(rec.state.secret).toBeNull();
    expect(rec.state.sigma).toMatch(/^[0-9a-f]{64}$/);
    const r = stepSign(deserializeState<SignState>(serializeState(rec.state), "sign"), rec.incoming);
    expect("output" in r).toBe(true);
  });
});

describe("signing: envelope receipt checks", () => {
  function rejected(state: SignState, incoming: unknown[]): string {
    try {
      stepSign(state, incoming);
    } catch (e) {
      if (e instanceof MessageRejected) return e.check;
      throw e;
    }
    return "accepted";
  }

  it("rejects a replayed round-1 message in round 2, a future-round message, wrong sid and duplicates", () => {
    const r1 = rounds.get(1)!;
    const r2 = rounds.get(2)!;
    expect(rejected(r2.state, [r1.incoming[0]!])).toBe("round");
    expect(rejected(r1.state, [r2.incoming[0]!])).toBe("round");
    expect(rejected(r1.state, [{ ...r1.incoming[0]!, sid: "11".repeat(32) }])).toBe("sid");
    expect(rejected(r1.state, [r1.incoming[0]!, r1.incoming[0]!])).toBe("duplicate");
    expect(rejected(r1.state, [{ ...r1.incoming[0]!, from: 2 }])).toBe("sender");
    expect(rejected(r1.state, [{ ...r1.incoming[1]!, to: 2 }])).toBe("recipient");
    const p2p = r2.incoming[0]!;
    expect(rejected(r2.state, [{ ...p2p, to: "all" }])).toBe("recipient");
  });

  it("a partial round is held in the inbox until complete, and replaying it then is rejected", () => {
    const r1 = rounds.get(1)!;
    const partial = stepSign(r1.state, [r1.incoming[0]!]);
    if (!("state" in partial)) throw new Error("expected to wait for the p2p message");
    expect(partial.outgoing).toEqual([]);
    expect(partial.state.inbox).toHaveLength(1);
    expect(rejected(partial.state, [r1.incoming[0]!])).toBe("duplicate");
  });
});
