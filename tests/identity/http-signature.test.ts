/** RFC 9421 HTTP Message Signatures (Ed25519): the RFC's own test vector and the agent verifier's checks. */
import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { agentComponentValues, contentDigest, parseSignatureHeaders, signatureBase, signRfc9421 } from "@/lib/identity/http-signature";
import { ed25519AgentAddress } from "@/lib/identity/sign";
import { AgentRequestRejectedError, checkHttpMessageSignature } from "@/lib/identity/verify-request";

const SEED = `0x${"07".repeat(32)}` as const;
const URL_ = "https://service.example/api/demo/verify?x=1";
const BODY = '{"hello":"world"}';
const CREATED = 1_740_000_000;

function reason(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof AgentRequestRejectedError) return err.reason;
    throw err;
  }
  throw new Error("expected a rejection");
}

describe("RFC 9421 signature base", () => {
  it("reproduces RFC 9421 Appendix B.2.6 (ed25519, test-key-ed25519)", () => {
    const d = new Uint8Array(Buffer.from("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU", "base64url"));
    expect(Buffer.from(ed25519.getPublicKey(d)).toString("base64url")).toBe("JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs");
    const params = { components: ["date", "@method", "@path", "@authority", "content-type", "content-length"], created: 1618884473, keyid: "test-key-ed25519" };
    const base = signatureBase({ date: "Tue, 20 Apr 2021 02:07:55 GMT", "@method": "POST", "@path": "/foo", "@authority": "example.com", "content-type": "application/json", "content-length": "18" }, params);
    expect(base).toBe(
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@method": POST\n"@path": /foo\n"@authority": example.com\n"content-type": application/json\n"content-length": 18\n"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    );
    expect(Buffer.from(ed25519.sign(new TextEncoder().encode(base), d)).toString("base64")).toBe("wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==");
    const parsed = parseSignatureHeaders(
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
    );
    expect(parsed?.params).toEqual(params);
  });

  it("Content-Digest is RFC 9530 sha-256", () => {
    // RFC 9530 §B.1: {"hello": "world"}
    expect(contentDigest('{"hello": "world"}')).toBe("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
    expect(agentComponentValues({ method: "get", url: "https://a.example/p" })["@query"]).toBe("?");
  });
});

describe("checkHttpMessageSignature", () => {
  const headers = () => new Headers(signRfc9421(SEED, { method: "POST", url: URL_, body: BODY, created: CREATED }));
  const now = CREATED * 1000 + 1000;

  it("accepts the agent's signature and names the registry's derived address", () => {
    const h = headers();
    expect(h.get("signature-input")).toMatch(/^sig1=\("@method" "@path" "@query" "content-digest"\);created=1740000000;keyid="0x[0-9a-f]{64}";alg="ed25519"$/);
    const facts = checkHttpMessageSignature(h, { method: "POST", url: URL_, body: BODY }, now);
    const keyid = /keyid="([^"]+)"/.exec(h.get("signature-input")!)![1] as `0x${string}`;
    expect(facts).toMatchObject({ address: ed25519AgentAddress(keyid), keyType: "ed25519", timestampMs: CREATED * 1000 });
  });

  it("tampered body, method, path or query; a Content-Digest that does not match", () => {
    expect(reason(() => checkHttpMessageSignature(headers(), { method: "POST", url: URL_, body: '{"hello":"World"}' }, now))).toBe("bad_signature");
    expect(reason(() => checkHttpMessageSignature(headers(), { method: "PUT", url: URL_, body: BODY }, now))).toBe("bad_signature");
    expect(reason(() => checkHttpMessageSignature(headers(), { method: "POST", url: "https://service.example/api/demo/verify?x=2", body: BODY }, now))).toBe("bad_signature");
    expect(reason(() => checkHttpMessageSignature(headers(), { method: "POST", url: "https://service.example/api/other?x=1", body: BODY }, now))).toBe("bad_signature");
    const h = headers();
    h.set("content-digest", contentDigest("{}"));
    expect(reason(() => checkHttpMessageSignature(h, { method: "POST", url: URL_, body: BODY }, now))).toBe("bad_signature");
  });

  it("wrong key, missing or malformed headers, too few covered components, created outside the window", () => {
    const h = headers();
    const other = new Headers(signRfc9421(`0x${"08".repeat(32)}`, { method: "POST", url: URL_, body: BODY, created: CREATED }));
    h.set("signature", other.get("signature")!);
    expect(reason(() => checkHttpMessageSignature(h, { method: "POST", url: URL_, body: BODY }, now))).toBe("bad_signature");
    const noSig = headers();
    noSig.delete("signature");
    expect(reason(() => checkHttpMessageSignature(noSig, { method: "POST", url: URL_, body: BODY }, now))).toBe("missing_headers");
    const junk = headers();
    junk.set("signature-input", "sig1=nonsense");
    expect(reason(() => checkHttpMessageSignature(junk, { method: "POST", url: URL_, body: BODY }, now))).toBe("missing_headers");
    const fewer = headers();
    fewer.set("signature-input", fewer.get("signature-input")!.replace(' "content-digest"', ""));
    expect(reason(() => checkHttpMessageSignature(fewer, { method: "POST", url: URL_, body: BODY }, now))).toBe("bad_signature");
    expect(reason(() => checkHttpMessageSignature(headers(), { method: "POST", url: URL_, body: BODY }, CREATED * 1000 + 5 * 60 * 1000 + 1))).toBe("expired_timestamp");
  });
});
