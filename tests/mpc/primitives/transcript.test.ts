import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "@noble/hashes/utils.js";
import { mulG, q } from "@/lib/mpc/curve";
import { ParameterError } from "@/lib/mpc/errors";
import { T, Xof, challengeXof, deriveSid, encodeValue, type SharedState, type TValue } from "@/lib/mpc/transcript";

const enc = (v: TValue) => bytesToHex(encodeValue(v));
const seed = new TextEncoder().encode("seed");

describe("transcript encoding", () => {
  it("is injective on the spec's examples", () => {
    expect(enc(T.list([T.str("12"), T.str("3")]))).not.toBe(enc(T.list([T.str("1"), T.str("23")])));
    expect(enc(T.list([T.str("a"), T.list([]), T.str("b")]))).not.toBe(enc(T.list([T.str("a"), T.str("b")])));
    expect(enc(T.list([T.list([T.str("a")]), T.str("b")]))).not.toBe(enc(T.list([T.list([T.str("a"), T.str("b")])])));
  });

  it("distinguishes sign, type and field names", () => {
    expect(enc(T.int(5n))).not.toBe(enc(T.int(-5n)));
    expect(enc(T.int(0n))).not.toBe(enc(T.int(-0n + 1n)));
    expect(enc(T.int(1n))).not.toBe(enc(T.bytes(Uint8Array.of(0, 1))));
    expect(enc(T.scalar(1n))).not.toBe(enc(T.int(1n)));
    expect(enc(T.struct([["a", T.int(1)]]))).not.toBe(enc(T.struct([["b", T.int(1)]])));
    expect(enc(T.struct([["ab", T.str("c")]]))).not.toBe(enc(T.struct([["a", T.str("bc")]])));
    expect(enc(T.none())).not.toBe(enc(T.list([])));
  });

  it("has a fixed layout", () => {
    expect(enc(T.int(-258n))).toBe("0300000003" + "01" + "0102");
    expect(enc(T.int(0n))).toBe("0300000001" + "00");
    expect(enc(T.list([T.bool(true)]))).toBe("080000000a" + "00000001" + "060000000101");
    expect(encodeValue(T.point(mulG(1n))).length).toBe(5 + 33);
    expect(encodeValue(T.scalar(q - 1n)).length).toBe(5 + 32);
  });
});

describe("xof and samplers", () => {
  it("known-answer: first block is stable", () => {
    const a = new Xof(seed).bytes(40);
    const b = new Xof(seed).bytes(40);
    expect(bytesToHex(a)).toBe(bytesToHex(b));
    // block 0 for the empty seed, with the encoding spelled out byte by byte
    const str = (v: string) => "02" + v.length.toString(16).padStart(8, "0") + Buffer.from(v).toString("hex");
    const block = (counter: string) => {
      const body =
        "00000003" +
        str("tag") + str("cggmp24-ts/v1/xof") +
        str("counter") + "0100000008" + counter +
        str("seed") + "0100000000";
      const encoded = "09" + (body.length / 2).toString(16).padStart(8, "0") + body;
      return createHash("sha256").update(Buffer.from(encoded, "hex")).digest("hex");
    };
    expect(bytesToHex(new Xof(new Uint8Array(0)).bytes(64))).toBe(block("00".repeat(8)) + block("00".repeat(7) + "01"));
    // reading in pieces equals reading at once
    const x = new Xof(seed);
    const pieces = [x.bytes(7), x.bytes(30), x.bytes(3)];
    expect(pieces.map(bytesToHex).join("")).toBe(bytesToHex(a));
    expect(bytesToHex(new Xof(Uint8Array.of(1)).bytes(32))).not.toBe(bytesToHex(a.subarray(0, 32)));
  });

  it("samplers stay in their ranges", () => {
    const x = new Xof(seed);
    for (let k = 0; k < 200; k++) {
      const u = x.uniformBelow(1000n);
      expect(u >= 0n && u < 1000n).toBe(true);
      const e = x.symmetricQ();
      expect(e >= -(q - 1n) / 2n && e <= (q - 1n) / 2n).toBe(true);
      const s = x.scalar();
      expect(s >= 0n && s < q).toBe(true);
      const f = x.symmetricPow2(8);
      expect(f >= -128n && f <= 128n).toBe(true);
      const y = x.unitBelow(15n);
      expect([1n, 2n, 4n, 7n, 8n, 11n, 13n, 14n]).toContain(y);
    }
  });

  it("uniformBelow covers small ranges including both ends", () => {
    const x = new Xof(seed);
    const seen = new Set<bigint>();
    for (let k = 0; k < 300; k++) seen.add(x.symmetricPow2(2));
    expect([...seen].sort((a, b) => Number(a - b))).toEqual([-2n, -1n, 0n, 1n, 2n]);
  });

  it("bit stream follows byte order, MSB first", () => {
    const bytes = new Xof(seed).bytes(2);
    const bits = new Xof(seed).bits(16);
    const expected = [...bytes].flatMap((b) => Array.from({ length: 8 }, (_, i) => (b >> (7 - i)) & 1));
    expect(bits).toEqual(expected);
  });
});

describe("challenge binding", () => {
  const base: SharedState = { sid: new Uint8Array(32).fill(1), prover: 0, verifier: 1, label: "x", context: [["num", T.int(0)]] };
  const challenge = (ss: SharedState, v = 1n) => challengeXof("p", ss, [["st", T.int(v)]]).scalar();
  const c0 = challenge(base);

  it("changes with every shared-state field and the statement", () => {
    expect(challenge({ ...base, sid: new Uint8Array(32).fill(2) })).not.toBe(c0);
    expect(challenge({ ...base, prover: 2 })).not.toBe(c0);
    expect(challenge({ ...base, verifier: 2 })).not.toBe(c0);
    expect(challenge({ ...base, verifier: null })).not.toBe(c0);
    expect(challenge({ ...base, label: "y" })).not.toBe(c0);
    expect(challenge({ ...base, context: [["num", T.int(1)]] })).not.toBe(c0);
    expect(challenge(base, 2n)).not.toBe(c0);
    expect(challengeXof("other", base, [["st", T.int(1n)]]).scalar()).not.toBe(c0);
    expect(challenge(base)).toBe(c0);
  });
});

describe("deriveSid", () => {
  const participants = [
    { index: 0, identityKey: Uint8Array.of(1) },
    { index: 1, identityKey: Uint8Array.of(2) },
  ];
  const nonce = new Uint8Array(16);
  const sign = { protocol: "sign" as const, keyId: "k", participants, serverNonce: nonce, clientNonce: nonce.map(() => 1), messageHash: new Uint8Array(32), signers: [0, 1] };

  it("binds every input", () => {
    const s = bytesToHex(deriveSid(sign));
    expect(deriveSid(sign).length).toBe(32);
    expect(bytesToHex(deriveSid({ ...sign, messageHash: new Uint8Array(32).fill(1) }))).not.toBe(s);
    expect(bytesToHex(deriveSid({ ...sign, keyId: "k2" }))).not.toBe(s);
    expect(bytesToHex(deriveSid({ ...sign, serverNonce: new Uint8Array(16).fill(9) }))).not.toBe(s);
    expect(bytesToHex(deriveSid({ ...sign, signers: [1] }))).not.toBe(s);
    expect(bytesToHex(deriveSid({ ...sign, participants: [participants[0]!, { index: 1, identityKey: Uint8Array.of(3) }] }))).not.toBe(s);
  });

  it("rejects malformed input", () => {
    expect(() => deriveSid({ ...sign, participants: [...participants].reverse() })).toThrow(ParameterError);
    expect(() => deriveSid({ ...sign, serverNonce: new Uint8Array(8) })).toThrow(ParameterError);
    expect(() => deriveSid({ ...sign, messageHash: undefined })).toThrow(ParameterError);
    expect(() => deriveSid({ ...sign, signers: [1, 0] })).toThrow(ParameterError);
    expect(() => deriveSid({ ...sign, signers: [0, 5] })).toThrow(ParameterError);
    expect(() => deriveSid({ protocol: "dkg", keyId: "c", participants, serverNonce: nonce, clientNonce: nonce, signers: [0, 1] })).toThrow(ParameterError);
    expect(deriveSid({ protocol: "dkg", keyId: "c", participants, serverNonce: nonce, clientNonce: nonce }).length).toBe(32);
  });
});
