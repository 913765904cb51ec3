/**
 * Long-term identities of the client parties (issue #10, authenticated blame): the agent's identity
 * is registered at key generation and kept in its share file; the user's is derived from the secret
 * that seals the user share and registered with it. A session key that neither is nor was certified
 * by the registered identity cannot drive a round; a registered user identity is replaced only with
 * its own hand-over signature.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { recoverMessageAddress } from "viem";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent } from "@/lib/sdk/agent";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { publicKeyToAddress } from "viem/accounts";
import { decryptShareFile, encryptShareFile } from "@/lib/sdk/share-file";
import { driveCeremony } from "@/lib/signing/driver";
import { localSignParty } from "@/lib/signing/local-party";
import { certifySessionKey, sessionKeyStanding, signRotation, verifyRotation, verifySessionCertificate } from "@/lib/signing/long-term-identity";
import { identityPublicKey, newIdentityKey } from "@/lib/signing/message-auth";
import { deriveUserIdentitySecret, encryptUserShare, randomSalt } from "@/lib/signing/user-share-crypto";
import { encodeKeyShare } from "@/lib/mpc";
import { POST as agentSession } from "@/app/api/v1/sign-message/session/route";
import { POST as agentRound } from "@/app/api/v1/sign/round/route";
import { POST as userSession } from "@/app/api/v1/signers/[id]/sign/session/route";
import { POST as userRound } from "@/app/api/v1/signers/[id]/sign/round/route";
import { POST as putUserShare } from "@/app/api/v1/signers/[id]/user-share/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { agentIdentityOf, createSignerViaDkg, type CreatedSigner } from "../helpers/signer";

useTestDatabase();

const signerId = "3f1c2b4a-0000-4000-8000-000000000001";
const sid = "ab".repeat(32);

describe("certificates (pure)", () => {
  const longTerm = newIdentityKey();
  const session = newIdentityKey();
  const cert = certifySessionKey(longTerm.secretKey, { signerId, sid, sessionKey: session.publicKey });

  it("verify for the signer, session and key they were made for, and for nothing else", () => {
    expect(verifySessionCertificate(longTerm.publicKey, cert, { signerId, sid, sessionKey: session.publicKey })).toBe(true);
    expect(verifySessionCertificate(longTerm.publicKey, cert, { signerId, sid: "cd".repeat(32), sessionKey: session.publicKey })).toBe(false);
    expect(verifySessionCertificate(longTerm.publicKey, cert, { signerId: "3f1c2b4a-0000-4000-8000-000000000002", sid, sessionKey: session.publicKey })).toBe(false);
    expect(verifySessionCertificate(longTerm.publicKey, cert, { signerId, sid, sessionKey: newIdentityKey().publicKey })).toBe(false);
    expect(verifySessionCertificate(newIdentityKey().publicKey, cert, { signerId, sid, sessionKey: session.publicKey })).toBe(false);
    const flipped = (cert[0] === "0" ? "1" : "0") + cert.slice(1);
    expect(verifySessionCertificate(longTerm.publicKey, flipped, { signerId, sid, sessionKey: session.publicKey })).toBe(false);
    for (const junk of [undefined, null, 42, "", "zz".repeat(64)]) expect(verifySessionCertificate(longTerm.publicKey, junk, { signerId, sid, sessionKey: session.publicKey })).toBe(false);
  });

  it("standing: unregistered signers need nothing; the registered key itself or a certified key speak for it", () => {
    expect(sessionKeyStanding({ registered: null, sessionKey: undefined, signerId, sid })).toBe("unregistered");
    expect(sessionKeyStanding({ registered: longTerm.publicKey, sessionKey: longTerm.publicKey, signerId, sid })).toBe("certified");
    expect(sessionKeyStanding({ registered: longTerm.publicKey, sessionKey: session.publicKey, certificate: cert, signerId, sid })).toBe("certified");
    expect(sessionKeyStanding({ registered: longTerm.publicKey, sessionKey: session.publicKey, signerId, sid })).toBe("uncertified");
    expect(sessionKeyStanding({ registered: longTerm.publicKey, sessionKey: undefined, certificate: cert, signerId, sid })).toBe("uncertified");
  });

  it("a rotation is the old key handing over to one new key of one signer", () => {
    const next = newIdentityKey().publicKey;
    const sig = signRotation(longTerm.secretKey, { signerId, newKey: next });
    expect(verifyRotation(longTerm.publicKey, sig, { signerId, newKey: next })).toBe(true);
    expect(verifyRotation(longTerm.publicKey, sig, { signerId, newKey: newIdentityKey().publicKey })).toBe(false);
    expect(verifyRotation(session.publicKey, sig, { signerId, newKey: next })).toBe(false);
  });
});

describe("the user's identity derives from the secret that seals the share", () => {
  const prf = (byte: number) => ({ scheme: "webauthn-prf" as const, prfOutput: new Uint8Array(32).fill(byte), credentialId: "cred" });

  it("is the same for the same secret, salt and signer, and differs when any of them does", async () => {
    const salt = randomSalt();
    const a = identityPublicKey(await deriveUserIdentitySecret(prf(7), salt, signerId));
    expect(identityPublicKey(await deriveUserIdentitySecret(prf(7), salt, signerId))).toBe(a);
    expect(identityPublicKey(await deriveUserIdentitySecret(prf(8), salt, signerId))).not.toBe(a);
    expect(identityPublicKey(await deriveUserIdentitySecret(prf(7), randomSalt(), signerId))).not.toBe(a);
    expect(identityPublicKey(await deriveUserIdentitySecret(prf(7), salt, "3f1c2b4a-0000-4000-8000-000000000002"))).not.toBe(a);
    const wallet = await deriveUserIdentitySecret({ scheme: "wallet-signature", signature: new Uint8Array(65).fill(7), walletAddress: "0x0000000000000000000000000000000000000001" }, salt, signerId);
    expect(wallet).toHaveLength(32);
    const pass = (p: string) => deriveUserIdentitySecret({ scheme: "passphrase", passphrase: p }, salt, signerId);
    expect(identityPublicKey(await pass("correct horse"))).toBe(identityPublicKey(await pass("correct horse")));
    expect(identityPublicKey(await pass("correct horse"))).not.toBe(identityPublicKey(await pass("correct horsf")));
  });

  it("refuses short key material", async () => {
    await expect(deriveUserIdentitySecret({ scheme: "webauthn-prf", prfOutput: new Uint8Array(16), credentialId: "c" }, randomSalt(), signerId)).rejects.toThrow(/too short/);
  });
});

describe("over HTTP, on a signer made by the three-party key generation", () => {
  let owner: Awaited<ReturnType<typeof makeUser>>;
  let s: CreatedSigner;
  beforeAll(async () => {
    await syncNetworks(db(), configuredNetworks({}));
    owner = await makeUser();
    s = await createSignerViaDkg(owner.cookie);
  }, 600_000);

  const messageCount = (ceremonyId: string) => db().ceremonyMessage.count({ where: { ceremonyId } });

  it("registers the agent's identity of the key generation on the signer", async () => {
    const row = await db().signer.findUniqueOrThrow({ where: { id: s.signer.id } });
    expect(row.agentIdentityKey).toBe(identityPublicKey(s.agentIdentity));
    expect(row.userIdentityKey).toBeNull();
  });

  it("the SDK signs with the identity from its share file, which keeps it", async () => {
    const file = await encryptShareFile({ share: s.agentShare, identity: s.agentIdentity, apiKey: s.apiKey, signerId: s.signer.id, address: s.signer.address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" }, "pass phrase", { scryptN: 2 ** 14 });
    const opened = await decryptShareFile(file, "pass phrase");
    expect(opened.identity).toEqual(s.agentIdentity);
    const agent = new CountersignAgent({ baseUrl: opened.baseUrl, apiKey: opened.apiKey, share: opened.share, identity: opened.identity, profile: FAST_TEST, fetch: appFetch });
    const signed = await agent.signMessage("long-term identity");
    expect(await recoverMessageAddress({ message: "long-term identity", signature: signed.signature })).toBe(s.signer.address);
  });

  it("an agent without its identity (a fresh key per session) can open a session but not run a round; nothing of the round is stored", async () => {
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, profile: FAST_TEST, fetch: appFetch });
    await expect(agent.signMessage("stolen share, no identity")).rejects.toThrow(/not certified by the signer's registered agent identity/);

    const fresh = newIdentityKey();
    const open = await call(agentSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "fresh key", clientNonce: "51".repeat(32), identityKey: fresh.publicKey } });
    expect(open.status).toBe(201);
    const before = await messageCount(open.json.sessionId);
    const party = localSignParty({ share: s.agentShare, signers: open.json.signers, messageHash: open.json.messageHash.slice(2), sid: open.json.sid, profile: FAST_TEST, identities: open.json.identities, identity: fresh });
    const round = await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: open.json.sessionId, seq: 1, messages: party.start() } });
    expect(round.status).toBe(403);
    expect(round.json.message).toMatch(/identityCertificate/);
    expect(await messageCount(open.json.sessionId)).toBe(before);
    // a certificate for another session does not help
    const elsewhere = certifySessionKey(s.agentIdentity, { signerId: s.signer.id, sid: "00".repeat(32), sessionKey: fresh.publicKey });
    const again = await call(agentRound, "POST", "/x", { apiKey: s.apiKey, body: { sessionId: open.json.sessionId, seq: 1, messages: party.start(), identityCertificate: elsewhere } });
    expect(again.status).toBe(403);
    expect(await messageCount(open.json.sessionId)).toBe(before);
  });

  it("a session without any identityKey is refused with 400 naming the field", async () => {
    const open = await call(agentSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "no key", clientNonce: "52".repeat(32) } });
    expect(open.status).toBe(400);
    expect(open.json.violations).toEqual([{ field: "body.identityKey", message: "Required" }]);
  });

  it("a bad certificate at open is refused before anything is recorded", async () => {
    const fresh = newIdentityKey();
    const requests = await db().signingRequest.count({ where: { signerId: s.signer.id } });
    const open = await call(agentSession, "POST", "/x", { apiKey: s.apiKey, body: { message: "bad cert", clientNonce: "53".repeat(32), identityKey: fresh.publicKey, identityCertificate: "ab".repeat(64) } });
    expect(open.status).toBe(403);
    expect(await db().signingRequest.count({ where: { signerId: s.signer.id } })).toBe(requests);
  });

  describe("the user's identity", () => {
    const salt = randomSalt();
    const material = { scheme: "webauthn-prf" as const, prfOutput: new Uint8Array(32).fill(9), credentialId: "cred-1" };
    let userSecret: Uint8Array;

    const upload = async (identityKey?: string, identityRotation?: string) => {
      const record = await encryptUserShare({ signerId: s.signer.id, profile: "fast-test", share: encodeKeyShare(s.userShare), material, salt });
      return call(putUserShare, "POST", "/x", { cookie: owner.cookie, params: { id: s.signer.id }, body: { ...record, ...(identityKey ? { identityKey } : {}), ...(identityRotation ? { identityRotation } : {}) } });
    };

    it("is registered with the user share, and replaced only with the registered one's hand-over", async () => {
      userSecret = await deriveUserIdentitySecret(material, salt, s.signer.id);
      const key = identityPublicKey(userSecret);
      expect((await upload(key)).status).toBe(200);
      expect((await db().signer.findUniqueOrThrow({ where: { id: s.signer.id } })).userIdentityKey).toBe(key);

      const missing = await upload();
      expect(missing.status).toBe(400);
      expect(missing.json.violations).toEqual([{ field: "body.identityKey", message: "Required" }]);

      const intruder = newIdentityKey();
      const swapped = await upload(intruder.publicKey);
      expect(swapped.status).toBe(403);
      const forged = await upload(intruder.publicKey, signRotation(intruder.secretKey, { signerId: s.signer.id, newKey: intruder.publicKey }));
      expect(forged.status).toBe(403);
      expect((await db().signer.findUniqueOrThrow({ where: { id: s.signer.id } })).userIdentityKey).toBe(key);

      const next = newIdentityKey();
      expect((await upload(next.publicKey, signRotation(userSecret, { signerId: s.signer.id, newKey: next.publicKey }))).status).toBe(200);
      expect((await db().signer.findUniqueOrThrow({ where: { id: s.signer.id } })).userIdentityKey).toBe(next.publicKey);
      // and back, handed over by the new one
      expect((await upload(key, signRotation(next.secretKey, { signerId: s.signer.id, newKey: key }))).status).toBe(200);
    });

    it("a user session runs only once the derived identity certified its key (sent with a round)", async () => {
      const params = { id: s.signer.id };
      const fresh = newIdentityKey();
      const open = await call(userSession, "POST", "/x", { cookie: owner.cookie, params, body: { message: "from the dashboard", clientNonce: "54".repeat(32), identityKey: fresh.publicKey } });
      expect(open.status).toBe(201);
      const party = localSignParty({ share: s.userShare, signers: open.json.signers, messageHash: open.json.messageHash.slice(2), sid: open.json.sid, profile: FAST_TEST, identities: open.json.identities, identity: fresh });
      const first = party.start();
      const refused = await call(userRound, "POST", "/x", { cookie: owner.cookie, params, body: { sessionId: open.json.sessionId, seq: 1, messages: first } });
      expect(refused.status).toBe(403);
      expect(refused.json.message).toMatch(/registered user identity/);

      const identityCertificate = certifySessionKey(userSecret, { signerId: s.signer.id, sid: open.json.sid, sessionKey: fresh.publicKey });
      const post = async (body: object) => {
        const r = await call(userRound, "POST", "/x", { cookie: owner.cookie, params, body: { sessionId: open.json.sessionId, identityCertificate, ...body } });
        if (r.status !== 200) throw new Error(`round ${r.status}: ${JSON.stringify(r.json)}`);
        return r.json;
      };
      // nothing of the refused round was kept: a fresh party runs the whole session
      const again = localSignParty({ share: s.userShare, signers: open.json.signers, messageHash: open.json.messageHash.slice(2), sid: open.json.sid, profile: FAST_TEST, identities: open.json.identities, identity: fresh });
      await driveCeremony({ transport: { submit: ({ seq, messages, after }) => post({ seq, messages, after }), poll: ({ after }) => post({ seq: 0, messages: [], after }) }, parties: [again], initial: open.json.messages });
      const row = await db().ceremony.findUniqueOrThrow({ where: { id: open.json.sessionId } });
      expect(row.status).toBe("completed");
      expect((row.context as { identityCertificate?: string }).identityCertificate).toBe(identityCertificate);
    });
  });
});

it("a share file refuses an identity that is not 32 bytes", async () => {
  const { dealtShare } = await import("../sdk/fixtures");
  const share = dealtShare(0);
  const address = publicKeyToAddress(`0x${bytesToHex(secp256k1.Point.fromHex(share.core.publicKey).toBytes(false))}`);
  const contents = { share, apiKey: "css_x", signerId, address, chainId: 31337, baseUrl: "http://localhost:3000", profile: "fast-test" as const };
  await expect(encryptShareFile({ ...contents, identity: new Uint8Array(31) }, "p", { scryptN: 2 ** 14 })).rejects.toThrow(/identity must be a 32-byte/);
  // without one (a file from before long-term identities) it still opens, with no identity
  expect((await decryptShareFile(await encryptShareFile(contents, "p", { scryptN: 2 ** 14 }), "p")).identity).toBeUndefined();
});
