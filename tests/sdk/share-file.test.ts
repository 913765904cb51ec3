import { beforeAll, describe, expect, it } from "vitest";
import { FAST_TEST } from "@/lib/mpc";
import {
  decryptShareFile,
  DEFAULT_SCRYPT_N,
  encryptShareFile,
  parseShareFile,
  SHARE_FILE_FORMAT,
  ShareFileFormatError,
  WrongPassphraseError,
  type ShareFile,
  type ShareFileContents,
} from "@/lib/sdk/share-file";
import { dealtAgentShare } from "./fixtures";

const LOW_N = 2 ** 14;
const passphrase = "correct horse battery staple";
let contents: ShareFileContents;
let file: ShareFile;

beforeAll(async () => {
  const { share, address } = dealtAgentShare();
  contents = { share, apiKey: "cs_test_key_123", signerId: "sig_1", address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" };
  file = await encryptShareFile(contents, passphrase, { scryptN: LOW_N });
});

describe("encrypted share file", () => {
  it("round-trips the share and API key, with the header in clear and the secrets only in the ciphertext", async () => {
    expect(file).toMatchObject({ format: SHARE_FILE_FORMAT, signerId: "sig_1", address: contents.address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" });
    expect(file.kdf).toMatchObject({ name: "scrypt", N: LOW_N, r: 8, p: 1 });
    expect(file.cipher.name).toBe("AES-256-GCM");
    expect(JSON.stringify(file)).not.toContain("cs_test_key_123");
    expect(JSON.stringify(file)).not.toContain(contents.share.core.secretShare);
    const out = await decryptShareFile(JSON.stringify(file), passphrase);
    expect(out.share).toEqual(contents.share);
    expect(out.apiKey).toBe("cs_test_key_123");
    expect(out.securityProfile).toBe(FAST_TEST);
    expect(out).toMatchObject({ signerId: "sig_1", address: contents.address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" });
  });

  it("uses fresh salt and IV for every encryption", async () => {
    const again = await encryptShareFile(contents, passphrase, { scryptN: LOW_N });
    expect(again.kdf.salt).not.toBe(file.kdf.salt);
    expect(again.cipher.iv).not.toBe(file.cipher.iv);
    expect(again.ciphertext).not.toBe(file.ciphertext);
  });

  it("refuses a wrong passphrase", async () => {
    await expect(decryptShareFile(file, "wrong horse")).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  const edits: [string, (f: ShareFile) => ShareFile][] = [
    ["signerId", (f) => ({ ...f, signerId: "sig_2" })],
    ["address", (f) => ({ ...f, address: "0x000000000000000000000000000000000000dEaD" })],
    ["chainId", (f) => ({ ...f, chainId: 1 })],
    ["baseUrl", (f) => ({ ...f, baseUrl: "https://evil.example" })],
    ["profile", (f) => ({ ...f, profile: "production" })],
    ["kdf.salt", (f) => ({ ...f, kdf: { ...f.kdf, salt: btoa("x".repeat(16)) } })],
    ["kdf.N", (f) => ({ ...f, kdf: { ...f.kdf, N: 2 * LOW_N } })],
    ["cipher.iv", (f) => ({ ...f, cipher: { ...f.cipher, iv: btoa("y".repeat(12)) } })],
  ];
  it.each(edits)("fails to decrypt when the header field %s was edited", async (_field, edit) => {
    await expect(decryptShareFile(edit(file), passphrase)).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it("fails to decrypt an edited ciphertext", async () => {
    const bytes = Uint8Array.from(atob(file.ciphertext), (c) => c.charCodeAt(0));
    bytes[0] = bytes[0]! ^ 1;
    const edited = { ...file, ciphertext: btoa(String.fromCharCode(...bytes)) };
    await expect(decryptShareFile(edited, passphrase)).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it("defaults to scrypt N = 2^17 and accepts a lower N only down to 2^14, as an explicit option", async () => {
    expect(DEFAULT_SCRYPT_N).toBe(131072);
    const strong = await encryptShareFile(contents, passphrase);
    expect(strong.kdf.N).toBe(131072);
    await expect(encryptShareFile(contents, passphrase, { scryptN: 2 ** 13 })).rejects.toBeInstanceOf(ShareFileFormatError);
    await expect(encryptShareFile(contents, passphrase, { scryptN: 3 * 2 ** 14 })).rejects.toBeInstanceOf(ShareFileFormatError);
    await expect(decryptShareFile({ ...file, kdf: { ...file.kdf, N: 2 ** 10 } }, passphrase)).rejects.toBeInstanceOf(ShareFileFormatError);
    await expect(decryptShareFile({ ...file, kdf: { ...file.kdf, N: 2 ** 24 } }, passphrase)).rejects.toBeInstanceOf(ShareFileFormatError);
  });

  it("rejects malformed files before deriving a key", () => {
    expect(() => parseShareFile("not json")).toThrow(ShareFileFormatError);
    expect(() => parseShareFile({ ...file, format: "countersign-share/v0" })).toThrow(ShareFileFormatError);
    expect(() => parseShareFile({ ...file, profile: "insecure" })).toThrow(ShareFileFormatError);
    expect(() => parseShareFile({ ...file, kdf: { ...file.kdf, name: "pbkdf2" } })).toThrow(ShareFileFormatError);
    expect(() => parseShareFile({ ...file, cipher: { ...file.cipher, iv: btoa("short") } })).toThrow(ShareFileFormatError);
    expect(() => parseShareFile({ ...file, chainId: "31337" })).toThrow(ShareFileFormatError);
    expect(parseShareFile(JSON.stringify(file))).toEqual(file);
  });

  it("refuses to encrypt a share that is not the agent's or does not match the address", async () => {
    await expect(encryptShareFile({ ...contents, address: "0x000000000000000000000000000000000000dEaD" }, passphrase, { scryptN: LOW_N })).rejects.toThrow(/does not belong/);
    const serverShare = { ...contents.share, core: { ...contents.share.core, index: 1 } };
    await expect(encryptShareFile({ ...contents, share: serverShare }, passphrase, { scryptN: LOW_N })).rejects.toBeInstanceOf(ShareFileFormatError);
    await expect(encryptShareFile(contents, "", { scryptN: LOW_N })).rejects.toBeInstanceOf(ShareFileFormatError);
  });
});
