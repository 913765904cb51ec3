/**
 * Authenticated blame (spec M2): parties sign every message with a per-ceremony identity key; a bad
 * signature is blamed on the sender, and a blame for a failed check carries the blamed party's own
 * signed messages, which a third party can verify with the identity keys alone.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { toHex } from "viem";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { FAST_TEST, type EcdsaSignature, type KeyShare, type Message } from "@/lib/mpc";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { localDkgParty, localSignParty, type LocalParty } from "@/lib/signing/local-party";
import { canonicalJson, newIdentityKey, signMessage, verifyEvidence, verifyMessage, type AuthenticatedBlame, type SignedMessage } from "@/lib/signing/message-auth";

const primes = fixtureSafePrimes(1024);
const hex32 = () => toHex(crypto.getRandomValues(new Uint8Array(32))).slice(2);
const ids = [newIdentityKey(), newIdentityKey(), newIdentityKey()];
const identities = Object.fromEntries(ids.map((k, i) => [i, k.publicKey]));

type Outcome<O> = { outputs: Map<number, O>; abort?: { by: number; blame: AuthenticatedBlame } };

/** Delivers every message to its recipients until all parties finish or one aborts; `tamper` may rewrite a message in flight. */
function run<O>(parties: LocalParty<O>[], tamper: (m: Message) => Message = (m) => m): Outcome<O> {
  const all = parties.map((p) => p.index);
  const queues = new Map<number, Message[]>(all.map((i) => [i, []]));
  const post = (out: Message[]) => {
    for (const raw of out) {
      const m = tamper(raw);
      for (const to of m.to === "all" ? all.filter((i) => i !== m.from) : [m.to]) queues.get(to)!.push(m);
    }
  };
  for (const p of parties) post(p.start());
  const outputs = new Map<number, O>();
  for (let guard = 0; guard < 200; guard++) {
    let moved = false;
    for (const p of parties) {
      const batch = queues.get(p.index)!.splice(0);
      if (!batch.length) continue;
      moved = true;
      const ev = p.receive(batch);
      if (ev.abort) return { outputs, abort: { by: p.index, blame: ev.abort as AuthenticatedBlame } };
      if (ev.output !== undefined) outputs.set(p.index, ev.output);
      post(ev.outgoing);
    }
    if (!moved) break;
  }
  return { outputs };
}

let shares: KeyShare[];

beforeAll(() => {
  const sid = hex32();
  const auxSid = hex32();
  const parties = [0, 1, 2].map((i) =>
    localDkgParty({ index: i, n: 3, threshold: 2, sid, auxSid, primes: { p: primes[4 * i]!, q: primes[4 * i + 1]!, pHat: primes[4 * i + 2]!, qHat: primes[4 * i + 3]! }, profile: FAST_TEST, identities, identity: ids[i] }),
  );
  const r = run(parties);
  expect(r.abort).toBeUndefined();
  shares = [0, 1, 2].map((i) => r.outputs.get(i)!);
}, 600_000);

function signPair(tamper?: (m: Message) => Message) {
  const messageHash = hex32();
  const sid = hex32();
  const parties = [0, 1].map((i) => localSignParty({ share: shares[i]!, signers: [0, 1], messageHash, sid, profile: FAST_TEST, identities, identity: ids[i] }));
  return { messageHash, ...run<EcdsaSignature>(parties, tamper) };
}

describe("signed protocol messages", () => {
  it("three parties generate a key and two of them sign with every message authenticated", () => {
    expect(new Set(shares.map((s) => s.core.publicKey)).size).toBe(1);
    const { outputs, abort, messageHash } = signPair();
    expect(abort).toBeUndefined();
    const sig = outputs.get(0)!;
    const ok = secp256k1.verify(new secp256k1.Signature(BigInt(`0x${sig.r}`), BigInt(`0x${sig.s}`)).toBytes("compact"), Buffer.from(messageHash, "hex"), Buffer.from(shares[0]!.core.publicKey, "hex"), { prehash: false });
    expect(ok).toBe(true);
  });

  it("a message altered in flight (signature no longer matches) is blamed on its sender", () => {
    // the first hex digit is always changed (replacing it with "0" left a message starting with 0 intact)
    const { abort } = signPair((m) => (m.from === 1 && m.round === 1 && m.to === "all" ? { ...m, payload: JSON.parse(JSON.stringify(m.payload).replace(/"[0-9a-f]/, (q) => (q === '"0' ? '"1' : '"0'))) } : m));
    expect(abort).toMatchObject({ by: 0, blame: { party: 1, check: "message_signature", round: 1 } });
  });

  it("a message signed by someone else (the relay) is blamed on the party it claims to be from", () => {
    const relay = newIdentityKey();
    const { abort } = signPair((m) => (m.from === 0 && m.round === 2 ? signMessage(m, relay.secretKey) : m));
    expect(abort).toMatchObject({ by: 1, blame: { party: 0, check: "message_signature" } });
  });

  it("a party that signs a bad message is blamed with evidence a third party can check", () => {
    // Party 0 is malicious: it breaks its round-2 proof and signs the result with its own key.
    const { abort } = signPair((m) => {
      if (m.from !== 0 || m.round !== 2) return m;
      const broken = { ...m, payload: JSON.parse(JSON.stringify(m.payload).replace(/"([0-9a-f]{16})/, (_all, h: string) => `"${h.split("").reverse().join("")}`)) };
      return signMessage(broken, ids[0]!.secretKey);
    });
    expect(abort?.by).toBe(1);
    const blame = abort!.blame;
    expect(blame.party).toBe(0);
    expect(blame.check).not.toBe("message_signature");
    expect(blame.evidence?.messages.length).toBeGreaterThan(0);
    expect(verifyEvidence(blame, identities)).toBeNull();

    // The evidence cannot be altered or pinned on another party.
    const altered = structuredClone(blame);
    altered.evidence!.messages[0]!.payload = { forged: true };
    expect(verifyEvidence(altered, identities)).toMatch(/not signed/);
    expect(verifyEvidence({ ...blame, party: 2 }, identities)).not.toBeNull();
    const relay = newIdentityKey();
    const framed: AuthenticatedBlame = { ...blame, evidence: { identityKey: identities[0]!, messages: blame.evidence!.messages.map((m) => signMessage(m, relay.secretKey)) } };
    expect(verifyEvidence(framed, identities)).toMatch(/not signed/);
  });

  it("a party in an authenticated ceremony refuses to run without its identity key", () => {
    expect(() => localSignParty({ share: shares[0]!, signers: [0, 1], messageHash: hex32(), sid: hex32(), profile: FAST_TEST, identities }).start()).toThrow(/identity key/);
  });
});

describe("message encoding", () => {
  it("signs a canonical encoding: key order does not matter, content does", () => {
    expect(canonicalJson({ b: 1, a: [{ d: "x", c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    const m = { v: 1, protocol: "sign", sid: hex32(), round: 3, from: 0, to: "all", payload: { a: "1", b: "2" } } as Message;
    const signed = signMessage(m, ids[0]!.secretKey);
    const reordered = { auth: signed.auth, payload: { b: "2", a: "1" }, to: "all", from: 0, round: 3, sid: m.sid, protocol: "sign", v: 1 } as SignedMessage;
    expect(verifyMessage(reordered, identities[0]!)).toBe(true);
    expect(verifyMessage({ ...signed, round: 4 }, identities[0]!)).toBe(false);
    expect(verifyMessage({ ...signed, to: 1 }, identities[0]!)).toBe(false);
    expect(verifyMessage({ ...signed, auth: undefined }, identities[0]!)).toBe(false);
    expect(verifyMessage(signed, identities[1]!)).toBe(false);
  });
});
