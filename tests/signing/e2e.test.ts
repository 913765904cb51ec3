/** lib/signing/e2e.ts: the browser ↔ agent end-to-end encryption of key-generation messages. */
import { describe, expect, it } from "vitest";
import type { Message } from "@/lib/mpc";
import { FAST_TEST, PRODUCTION } from "@/lib/mpc/params";
import {
  assertAgentKey,
  decodeInvitation,
  deriveE2eKey,
  e2eCodec,
  E2eError,
  encodeInvitation,
  INVITATION_PROFILES,
  invitationProfile,
  generateE2eKeyPair,
  generatePin,
  isE2ePayload,
  joinMac,
  openMessage,
  sealMessage,
  verifyJoinMac,
} from "@/lib/signing/e2e";

const ceremonyId = "0b6f7a52-3c1e-4f7e-9a55-2a9d8c7b6e10";
const msg = (over: Partial<Message> = {}): Message => ({ v: 1, protocol: "keygen", sid: "ab".repeat(32), round: 2, from: 0, to: 2, payload: { sigma: "1234abcd", nested: [1, 2, 3] }, ...over }) as Message;

describe("end-to-end encryption of p2p key-generation messages", () => {
  it("round-trips a payload between the two parties, keeping the routing envelope readable", async () => {
    const agent = generateE2eKeyPair();
    const user = generateE2eKeyPair();
    const ka = await deriveE2eKey({ privateKey: agent.privateKey, peerPublicKey: user.publicKey, ceremonyId });
    const ku = await deriveE2eKey({ privateKey: user.privateKey, peerPublicKey: agent.publicKey, ceremonyId });
    const m = msg();
    const sealed = await sealMessage(ka, ceremonyId, m);
    expect(sealed).toMatchObject({ v: 1, protocol: "keygen", sid: m.sid, round: 2, from: 0, to: 2 });
    expect(isE2ePayload(sealed.payload)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain("1234abcd");
    expect(await openMessage(ku, ceremonyId, sealed)).toEqual(m);
    // Fresh IV every time.
    expect((await sealMessage(ka, ceremonyId, m)).payload).not.toEqual(sealed.payload);
  });

  it("refuses a ciphertext moved to another round, direction, protocol or ceremony (associated data)", async () => {
    const agent = generateE2eKeyPair();
    const user = generateE2eKeyPair();
    const ka = await deriveE2eKey({ privateKey: agent.privateKey, peerPublicKey: user.publicKey, ceremonyId });
    const ku = await deriveE2eKey({ privateKey: user.privateKey, peerPublicKey: agent.publicKey, ceremonyId });
    const sealed = await sealMessage(ka, ceremonyId, msg());
    for (const moved of [{ round: 3 }, { from: 2, to: 0 }, { protocol: "aux" as const }]) {
      await expect(openMessage(ku, ceremonyId, { ...sealed, ...moved } as Message)).rejects.toThrow(/failed authentication/);
    }
    await expect(openMessage(ku, "1b6f7a52-3c1e-4f7e-9a55-2a9d8c7b6e10", sealed)).rejects.toThrow(E2eError);
    const ct = (sealed.payload as { e2e: { ct: string } }).e2e.ct;
    const flipped = { ...sealed, payload: { e2e: { ...(sealed.payload as { e2e: object }).e2e, ct: (ct[0] === "0" ? "1" : "0") + ct.slice(1) } } };
    const err = await openMessage(ku, ceremonyId, flipped as Message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(E2eError);
    expect((err as E2eError).from).toBe(0);
    expect((err as Error).message).toMatch(/from the agent \(party 0\) \(keygen round 2\) failed authentication/);
  });

  it("refuses a message sealed under another key, and a plaintext one", async () => {
    const agent = generateE2eKeyPair();
    const user = generateE2eKeyPair();
    const mallory = generateE2eKeyPair();
    const km = await deriveE2eKey({ privateKey: mallory.privateKey, peerPublicKey: user.publicKey, ceremonyId });
    const codec = e2eCodec({ ceremonyId, privateKey: user.privateKey, peerPublicKey: agent.publicKey, peer: 0 });
    await expect(codec.open(await sealMessage(km, ceremonyId, msg()))).rejects.toThrow(/failed authentication/);
    await expect(codec.open(msg())).rejects.toThrow(/without end-to-end encryption/);
    const agentCodec = e2eCodec({ ceremonyId, privateKey: agent.privateKey, peerPublicKey: user.publicKey, peer: 2 });
    expect(await codec.open(await agentCodec.seal(msg()))).toEqual(msg());
    await expect(deriveE2eKey({ privateKey: user.privateKey, peerPublicKey: "00".repeat(32), ceremonyId })).rejects.toThrow(/low order/);
  });

  it("authenticates the agent's key with the pin: a substituted key or a wrong pin fails the MAC", () => {
    const pin = generatePin();
    const agent = generateE2eKeyPair();
    const user = generateE2eKeyPair();
    const mac = joinMac(pin, ceremonyId, agent.publicKey, user.publicKey);
    expect(verifyJoinMac(pin, ceremonyId, agent.publicKey, user.publicKey, mac)).toBe(true);
    expect(assertAgentKey({ pin, ceremonyId, agentKey: agent.publicKey, agentKeyMac: mac, userKey: user.publicKey })).toBe(agent.publicKey);
    const server = generateE2eKeyPair();
    expect(verifyJoinMac(pin, ceremonyId, server.publicKey, user.publicKey, mac)).toBe(false);
    expect(verifyJoinMac(generatePin(), ceremonyId, agent.publicKey, user.publicKey, mac)).toBe(false);
    expect(verifyJoinMac(pin, ceremonyId, agent.publicKey, server.publicKey, mac)).toBe(false);
    expect(verifyJoinMac(pin, "other", agent.publicKey, user.publicKey, mac)).toBe(false);
    expect(() => assertAgentKey({ pin, ceremonyId, agentKey: server.publicKey, agentKeyMac: joinMac(generatePin(), ceremonyId, server.publicKey, user.publicKey), userKey: user.publicKey })).toThrow(/substituted/);
    expect(() => assertAgentKey({ pin, ceremonyId, agentKey: null, agentKeyMac: null, userKey: user.publicKey })).toThrow(E2eError);
  });

  it("encodes and decodes the invitation string", () => {
    const inv = { baseUrl: "http://localhost:3000", ceremonyId, token: `csi_${"a".repeat(12)}_${"b".repeat(43)}`, userKey: generateE2eKeyPair().publicKey, pin: generatePin() };
    const text = encodeInvitation(inv);
    expect(text.startsWith("cs-join:v1:")).toBe(true);
    expect(text).toMatch(/^cs-join:v1:[A-Za-z0-9_-]+$/);
    expect(decodeInvitation(`  ${text}\n`)).toEqual(inv);
    expect(() => decodeInvitation(text.slice(0, -4))).toThrow();
    expect(() => decodeInvitation("cs-join:v2:abc")).toThrow(/starts with/);
    expect(decodeInvitation(text).profile).toBeUndefined(); // invitations from before the profile field still decode

    // The profile (`f`) lets the agent start its primes before it joins; only known profiles pass.
    expect([...INVITATION_PROFILES].sort()).toEqual([FAST_TEST.name, PRODUCTION.name].sort());
    for (const profile of INVITATION_PROFILES) expect(decodeInvitation(encodeInvitation({ ...inv, profile }))).toEqual({ ...inv, profile });
    const raw = (o: object) => `cs-join:v1:${Buffer.from(JSON.stringify(o)).toString("base64url")}`;
    const fields = { u: inv.baseUrl, c: inv.ceremonyId, t: inv.token, k: inv.userKey, p: inv.pin };
    expect(decodeInvitation(raw({ ...fields, f: "fast-test" })).profile).toBe("fast-test");
    expect([invitationProfile(PRODUCTION.name), invitationProfile(FAST_TEST.name), invitationProfile("turbo")]).toEqual([PRODUCTION.name, FAST_TEST.name, undefined]);
    for (const f of ["turbo", "", 1536, null]) expect(() => decodeInvitation(raw({ ...fields, f }))).toThrow(/security profile this agent does not know/);
  });
});
