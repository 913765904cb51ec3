"use client";

import { hexToBytes } from "viem";
import { api } from "../api/client";
import { signerPath } from "../api/signers";
import { connectInjectedWallet, signWithInjectedWallet } from "../auth/injected-wallet";
import { evaluatePrf } from "@/lib/signing/browser/passkey-prf";
import { certifySessionKey } from "@/lib/signing/long-term-identity";
import { decryptUserShare, deriveUserIdentitySecret, fromBase64Url, parseEncryption, walletMessage, type KeyMaterial, type UserSharePayload } from "@/lib/signing/user-share-crypto";

export type StoredUserShare = {
  ciphertext: string;
  encryption: Record<string, unknown>;
  updatedAt: string;
  paillier?: { user: string; server: string } | null;
  ringPedersen?: { server: { N: string; s: string; t: string }; profile: "production" | "fast-test" } | null;
};

export function fetchUserShare(signerId: string): Promise<StoredUserShare> {
  return api.get<StoredUserShare>(signerPath(signerId, "/user-share"));
}

export function schemeOf(record: StoredUserShare) {
  return parseEncryption(record.encryption).scheme;
}

/**
 * Opens the user share in this page: a passkey assertion evaluating the PRF on the stored salt, a
 * wallet signature of the stored message, or the passphrase. Only WebCrypto here; the decrypted
 * share goes straight to the signing worker. The same secret derives the user's long-term identity,
 * which certifies this session's key (`session`) and is wiped at once.
 */
export async function unlockUserShare(signerId: string, record: StoredUserShare, passphrase: string | undefined, session: { sid: string; sessionKey: string }): Promise<UserSharePayload & { identityCertificate: string }> {
  const e = parseEncryption(record.encryption);
  let material: KeyMaterial;
  if (e.scheme === "webauthn-prf") {
    const { prfOutput, credentialId } = await evaluatePrf({ salt: fromBase64Url(e.salt), credentialId: e.credentialId });
    material = { scheme: "webauthn-prf", prfOutput, credentialId };
  } else if (e.scheme === "wallet-signature") {
    const { address } = await connectInjectedWallet();
    if (address.toLowerCase() !== e.walletAddress!.toLowerCase()) throw new Error(`Connect the wallet ${e.walletAddress} that protects this share`);
    const signature = await signWithInjectedWallet(walletMessage(signerId, e.salt), address);
    material = { scheme: "wallet-signature", signature: hexToBytes(signature), walletAddress: e.walletAddress! };
  } else {
    if (!passphrase) throw new Error("Enter the passphrase that protects your share");
    material = { scheme: "passphrase", passphrase };
  }
  const payload = await decryptUserShare({ signerId, record, material });
  const identity = await deriveUserIdentitySecret(material, fromBase64Url(e.salt), signerId);
  try {
    return { ...payload, identityCertificate: certifySessionKey(identity, { signerId, sid: session.sid, sessionKey: session.sessionKey }) };
  } finally {
    identity.fill(0);
  }
}
