import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { BadRequestError, UnauthorizedError } from "@/lib/http/errors";
import { challengeFromClientData, consumeChallenge, storeChallenge } from "./challenges";

const RP_NAME = "Countersign";

function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(id.replace(/-/g, ""), "hex"));
}

export async function registrationOptions(
  db: DbOrTx,
  user: { id: string; email: string | null; name: string | null; walletAddress: string | null },
  purpose: "register" | "add_passkey",
) {
  const existing = await db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  const userName = user.email ?? user.walletAddress ?? user.id;
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: env().rpId,
    userName,
    userDisplayName: user.name ?? userName,
    userID: uuidBytes(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    // PRF (hmac-secret) lets the same passkey derive the key that seals the user's share in the browser.
    extensions: { prf: {} },
  });
  await storeChallenge(db, options.challenge, purpose, user.id);
  return options;
}

export type RegisteredPasskey = { id: string; name: string; createdAt: Date; userId: string; purpose: "register" | "add_passkey" };

/** Verifies a registration against its stored challenge and saves the passkey for that challenge's user. */
export async function completeRegistration(db: DbOrTx, credential: RegistrationResponseJSON, name: string | undefined, sessionUserId: string | null): Promise<RegisteredPasskey> {
  const challenge = await consumeChallenge(db, challengeFromClientData(credential.response.clientDataJSON), ["register", "add_passkey"]);
  if (!challenge.userId) throw new BadRequestError("Unknown or expired challenge");
  if (challenge.purpose === "add_passkey" && challenge.userId !== sessionUserId) throw new UnauthorizedError("Sign in to add a passkey");
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: credential,
      expectedChallenge: challenge.challenge,
      expectedOrigin: env().origin,
      expectedRPID: env().rpId,
      requireUserVerification: true,
    });
  } catch (err) {
    throw new BadRequestError(`Passkey registration failed: ${(err as Error).message}`);
  }
  if (!verification.verified) throw new BadRequestError("Passkey registration could not be verified");
  const info = verification.registrationInfo;
  if (await db.passkey.findUnique({ where: { credentialId: info.credential.id } })) throw new BadRequestError("This passkey is already registered");
  const count = await db.passkey.count({ where: { userId: challenge.userId } });
  const passkey = await db.passkey.create({
    data: {
      userId: challenge.userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: BigInt(info.credential.counter),
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: name?.trim() || (count === 0 ? "Passkey" : `Passkey ${count + 1}`),
    },
  });
  return { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt, userId: passkey.userId, purpose: challenge.purpose as "register" | "add_passkey" };
}

export async function loginOptions(db: DbOrTx) {
  const options = await generateAuthenticationOptions({ rpID: env().rpId, userVerification: "required", allowCredentials: [] });
  await storeChallenge(db, options.challenge, "login");
  return options;
}

/** Verifies an assertion for a discoverable passkey; returns the user id. Counter regressions fail. */
export async function verifyLogin(db: DbOrTx, credential: AuthenticationResponseJSON): Promise<{ userId: string; passkeyId: string }> {
  const challenge = await consumeChallenge(db, challengeFromClientData(credential.response.clientDataJSON), ["login"]);
  const passkey = await db.passkey.findUnique({ where: { credentialId: credential.id } });
  if (!passkey) throw new UnauthorizedError("Unknown passkey");
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: credential,
      expectedChallenge: challenge.challenge,
      expectedOrigin: env().origin,
      expectedRPID: env().rpId,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: Number(passkey.counter),
        transports: passkey.transports as never,
      },
    });
  } catch (err) {
    throw new UnauthorizedError(`Passkey sign-in failed: ${(err as Error).message}`);
  }
  if (!verification.verified) throw new UnauthorizedError("Passkey sign-in failed");
  await db.passkey.update({ where: { id: passkey.id }, data: { counter: BigInt(verification.authenticationInfo.newCounter), lastUsedAt: new Date() } });
  return { userId: passkey.userId, passkeyId: passkey.id };
}
