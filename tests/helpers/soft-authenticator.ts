import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { db } from "@/lib/db/client";

/**
 * A software WebAuthn authenticator (ES256, "none" attestation) for tests: registers its public key
 * as a passkey row for a user and answers assertion challenges the way a platform authenticator
 * would (user present + verified, increasing sign count).
 */
export class SoftAuthenticator {
  readonly credentialId: string;
  private readonly privateKey: KeyObject;
  private readonly cose: Buffer;
  private counter = 0;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
    const x = Buffer.from(jwk.x, "base64url");
    const y = Buffer.from(jwk.y, "base64url");
    // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y} in CBOR.
    this.cose = Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]);
    this.credentialId = createHash("sha256").update(this.cose).digest().subarray(0, 16).toString("base64url");
  }

  async register(userId: string) {
    return db().passkey.create({
      data: { userId, credentialId: this.credentialId, publicKey: new Uint8Array(this.cose), counter: 0n, transports: ["internal"], deviceType: "singleDevice", backedUp: false, name: "Test authenticator" },
    });
  }

  /** An AuthenticationResponseJSON for `challenge` (base64url) at `origin` / `rpId`. */
  assert(challenge: string, opts: { origin?: string; rpId?: string } = {}) {
    const origin = opts.origin ?? "http://localhost:3000";
    const rpId = opts.rpId ?? "localhost";
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge, origin, crossOrigin: false }));
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const authenticatorData = Buffer.concat([createHash("sha256").update(rpId).digest(), Buffer.from([0x05]), counter]);
    const signature = sign("sha256", Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]), this.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: { clientDataJSON: clientDataJSON.toString("base64url"), authenticatorData: authenticatorData.toString("base64url"), signature: signature.toString("base64url") },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}

export function assertionHeader(challengeId: string, response: unknown): string {
  return Buffer.from(JSON.stringify({ challengeId, response })).toString("base64url");
}
