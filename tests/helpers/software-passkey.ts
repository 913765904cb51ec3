/**
 * A software WebAuthn authenticator for Node tests: a P-256 key (@noble/curves) that answers viem's
 * `toWebAuthnAccount({ getFn })` the way navigator.credentials.get does — authenticator data
 * (rpIdHash, flags, counter), client data JSON with the base64url challenge, and an ASN.1 DER
 * signature over authenticatorData || SHA-256(clientDataJSON) — so viem/ox parse it as in a browser.
 * The e2e tests use Chromium's virtual authenticator instead.
 */
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, randomBytes } from "@noble/hashes/utils.js";
import { toWebAuthnAccount } from "viem/account-abstraction";
import type { Hex } from "viem";

const base64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;

export type SoftwarePasskey = ReturnType<typeof softwarePasskey>;

/** `flags` defaults to UP | UV; `tamper` changes what is signed after the fact (a wrong key, a flipped challenge …). */
export function softwarePasskey(opts: { rpId?: string; origin?: string; flags?: number } = {}) {
  const rpId = opts.rpId ?? "localhost";
  const origin = opts.origin ?? "http://localhost:3000";
  let secret = p256.utils.randomSecretKey();
  const publicKey = `0x${bytesToHex(p256.getPublicKey(secret, false).slice(1))}` as Hex;
  const id = base64url(randomBytes(16));
  let counter = 0;
  let flags = opts.flags ?? FLAG_UP | FLAG_UV;
  const getFn = async (options?: { publicKey?: { challenge: BufferSource } }) => {
    const raw = options?.publicKey?.challenge;
    if (!raw) throw new Error("no challenge");
    const challenge = raw instanceof Uint8Array ? raw : new Uint8Array(raw as ArrayBuffer);
    const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: "webauthn.get", challenge: base64url(challenge), origin, crossOrigin: false }));
    counter += 1;
    const authenticatorData = concatBytes(sha256(new TextEncoder().encode(rpId)), Uint8Array.of(flags), Uint8Array.of(counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff));
    const signature = p256.sign(concatBytes(authenticatorData, sha256(clientDataJSON)), secret, { format: "der", lowS: false });
    return { id, type: "public-key", response: { clientDataJSON: clientDataJSON.buffer, authenticatorData: authenticatorData.buffer, signature: signature.buffer } };
  };
  return {
    credential: { id, publicKey },
    account: toWebAuthnAccount({ credential: { id, publicKey }, getFn: getFn as never, rpId }),
    /** From now on the authenticator signs with another key (the account's stored public key no longer matches). */
    swapKey() {
      secret = p256.utils.randomSecretKey();
    },
    /** From now on the authenticator sets these flags (e.g. user presence without verification). */
    setFlags(f: number) {
      flags = f;
    },
  };
}

export const PASSKEY_FLAGS = { UP: FLAG_UP, UV: FLAG_UV } as const;
