import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { KeyStoreError, open, seal } from "@/lib/keystore/envelope";
import { parseMasterKey } from "@/lib/keystore/master-key";

describe("envelope encryption", () => {
  const key = new Uint8Array(randomBytes(32));
  const secret = new TextEncoder().encode("server key share 0x1234");

  it("round-trips, and the blob holds neither the plaintext nor the data key in clear", () => {
    const blob = seal(key, secret, "signer-share:abc");
    expect(new TextDecoder().decode(open(key, blob, "signer-share:abc"))).toBe("server key share 0x1234");
    expect(JSON.stringify(blob)).not.toContain("server key share");
    expect(seal(key, secret, "signer-share:abc").ct).not.toBe(blob.ct); // fresh data key and IV each time
  });

  it("fails with another context, another master key, or any tampering", () => {
    const blob = seal(key, secret, "signer-share:abc");
    expect(() => open(key, blob, "signer-share:other")).toThrow(KeyStoreError);
    expect(() => open(new Uint8Array(randomBytes(32)), blob, "signer-share:abc")).toThrow(/different master key/);
    const ct = Buffer.from(blob.ct, "base64");
    ct[20] = ct[20]! ^ 1;
    expect(() => open(key, { ...blob, ct: ct.toString("base64") }, "signer-share:abc")).toThrow(/failed authentication/);
    const wdek = Buffer.from(blob.wdek, "base64");
    wdek[14] = wdek[14]! ^ 1;
    expect(() => open(key, { ...blob, wdek: wdek.toString("base64") }, "signer-share:abc")).toThrow(/failed authentication/);
  });

  it("parses master keys as hex or base64 and rejects anything else", () => {
    expect(parseMasterKey("ab".repeat(32))).toHaveLength(32);
    expect(parseMasterKey(Buffer.alloc(32, 7).toString("base64"))).toHaveLength(32);
    expect(() => parseMasterKey("too-short")).toThrow(/32 bytes/);
    expect(() => parseMasterKey("ab".repeat(31))).toThrow(/32 bytes/);
  });
});
