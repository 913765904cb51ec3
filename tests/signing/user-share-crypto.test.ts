import { describe, expect, it } from "vitest";
import { privateKeyToAccount } from "viem/accounts";
import { hexToBytes } from "viem";
import {
  decryptUserShare,
  encryptUserShare,
  fromBase64Url,
  parseEncryption,
  randomSalt,
  toBase64Url,
  UserShareDecryptError,
  walletMessage,
  type KeyMaterial,
} from "@/lib/signing/user-share-crypto";

const signerId = "2f1c9a52-7a0c-4c41-9d0f-6a3f0b1b7c11";
const share = JSON.stringify({ core: { index: 2, secret: "00ff".repeat(16) }, aux: { p: "abcd" } });
const prf = (fill: number) => new Uint8Array(32).fill(fill);

describe("user share encryption (passkey PRF)", () => {
  it("round-trips with the same PRF output and binds the credential, salt and signer", async () => {
    const salt = randomSalt();
    const material: KeyMaterial = { scheme: "webauthn-prf", prfOutput: prf(7), credentialId: "cred-1" };
    const record = await encryptUserShare({ signerId, profile: "fast-test", share, material, salt });
    expect(record.encryption).toMatchObject({ scheme: "webauthn-prf", credentialId: "cred-1", kdf: "hkdf-sha256", salt: toBase64Url(salt) });
    expect(fromBase64Url(record.encryption.iv)).toHaveLength(12);
    // Only ciphertext leaves the browser: neither the share nor its secret appear in the record.
    expect(JSON.stringify(record)).not.toContain("00ff00ff");
    expect(JSON.stringify(record)).not.toContain("core");

    const opened = await decryptUserShare({ signerId, record, material });
    expect(opened).toEqual({ format: "countersign-user-share/v1", signerId, profile: "fast-test", share });
  });

  it("fails with a different PRF output, another signer, or edited metadata", async () => {
    const material: KeyMaterial = { scheme: "webauthn-prf", prfOutput: prf(7), credentialId: "cred-1" };
    const record = await encryptUserShare({ signerId, profile: "production", share, material, salt: randomSalt() });
    await expect(decryptUserShare({ signerId, record, material: { ...material, prfOutput: prf(8) } })).rejects.toBeInstanceOf(UserShareDecryptError);
    await expect(decryptUserShare({ signerId: "another-signer", record, material })).rejects.toBeInstanceOf(UserShareDecryptError);
    const movedCredential = { ...record, encryption: { ...record.encryption, credentialId: "cred-2" } };
    await expect(decryptUserShare({ signerId, record: movedCredential, material: { ...material, credentialId: "cred-2" } })).rejects.toBeInstanceOf(UserShareDecryptError);
    const otherSalt = { ...record, encryption: { ...record.encryption, salt: toBase64Url(randomSalt()) } };
    await expect(decryptUserShare({ signerId, record: otherSalt, material })).rejects.toBeInstanceOf(UserShareDecryptError);
    const flipped = fromBase64Url(record.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    await expect(decryptUserShare({ signerId, record: { ...record, ciphertext: toBase64Url(flipped) }, material })).rejects.toBeInstanceOf(UserShareDecryptError);
  });

  it("refuses a scheme mismatch and malformed metadata", async () => {
    const record = await encryptUserShare({ signerId, profile: "production", share, material: { scheme: "webauthn-prf", prfOutput: prf(1), credentialId: "c" }, salt: randomSalt() });
    await expect(decryptUserShare({ signerId, record, material: { scheme: "passphrase", passphrase: "x" } })).rejects.toThrow(/protected by webauthn-prf/);
    expect(() => parseEncryption({ ...record.encryption, kdf: "md5" })).toThrow(UserShareDecryptError);
    expect(() => parseEncryption({ ...record.encryption, credentialId: undefined })).toThrow(/credential id/);
    expect(() => parseEncryption({ ...record.encryption, scheme: "rot13" })).toThrow(/Unknown scheme/);
    expect(() => parseEncryption(null)).toThrow(UserShareDecryptError);
    await expect(encryptUserShare({ signerId, profile: "p", share, material: { scheme: "webauthn-prf", prfOutput: new Uint8Array(8), credentialId: "c" } })).rejects.toThrow(/too short/);
  });
});

describe("user share encryption (fallbacks)", () => {
  it("wallet signature: the same wallet signing the same message opens it", async () => {
    const wallet = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    const salt = randomSalt();
    const signature = hexToBytes(await wallet.signMessage({ message: walletMessage(signerId, toBase64Url(salt)) }));
    const material: KeyMaterial = { scheme: "wallet-signature", signature, walletAddress: wallet.address };
    const record = await encryptUserShare({ signerId, profile: "production", share, material, salt });
    expect(record.encryption).toMatchObject({ scheme: "wallet-signature", walletAddress: wallet.address, kdf: "hkdf-sha256" });
    // RFC 6979 signatures are deterministic: signing again yields the same key.
    const again = hexToBytes(await wallet.signMessage({ message: walletMessage(signerId, record.encryption.salt) }));
    expect((await decryptUserShare({ signerId, record, material: { ...material, signature: again } })).share).toBe(share);
    const other = privateKeyToAccount("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
    const wrong = hexToBytes(await other.signMessage({ message: walletMessage(signerId, record.encryption.salt) }));
    await expect(decryptUserShare({ signerId, record, material: { ...material, signature: wrong } })).rejects.toBeInstanceOf(UserShareDecryptError);
  });

  it("passphrase: PBKDF2 with a fresh salt; a wrong passphrase fails", async () => {
    const record = await encryptUserShare({ signerId, profile: "production", share, material: { scheme: "passphrase", passphrase: "correct horse" } });
    expect(record.encryption).toMatchObject({ scheme: "passphrase", kdf: "pbkdf2-sha256:600000" });
    expect(fromBase64Url(record.encryption.salt)).toHaveLength(32);
    expect((await decryptUserShare({ signerId, record, material: { scheme: "passphrase", passphrase: "correct horse" } })).share).toBe(share);
    await expect(decryptUserShare({ signerId, record, material: { scheme: "passphrase", passphrase: "wrong horse" } })).rejects.toBeInstanceOf(UserShareDecryptError);
    await expect(encryptUserShare({ signerId, profile: "p", share, material: { scheme: "passphrase", passphrase: "" } })).rejects.toThrow(/must not be empty/);
  });
});
