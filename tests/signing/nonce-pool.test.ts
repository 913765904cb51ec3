/**
 * The server's precomputed Paillier nonces and ring-Pedersen masks (lib/signing/nonce-pool.ts): sealed at rest, claimed
 * once under concurrency (FOR UPDATE SKIP LOCKED, also on the real PostgreSQL lane), untaken ones
 * returned, deleted signers' dropped, and a real signing session through the API takes exactly one
 * session's worth and still produces a valid signature.
 */
import { afterAll, describe, expect, it } from "vitest";
import { recoverMessageAddress } from "viem";
import { db } from "@/lib/db/client";
import { FAST_TEST, isMaskDemand, maskSlots, ownPaillierKey, signSessionNonceDemand, type NoncePower } from "@/lib/mpc";
import { modInv } from "@/lib/mpc/bigint";
import { CountersignAgent } from "@/lib/sdk/agent";
import { fillNoncePools } from "@/lib/signing/nonce-pool-filler";
import { stopNonceWorker } from "@/lib/signing/nonce-worker";
import { claimNonces, maskPoolSize, maskSlotId, modulusId, noncePoolSize, returnUnusedNonces, serverPoolDemand, topUpSignerNonces } from "@/lib/signing/nonce-pool";
import { useTestDatabase } from "../helpers/db";
import { dealtSigner } from "../helpers/fault-rig";
import { makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { decodeKeyShare } from "@/lib/mpc";
import { openSecret, type SealedBlob } from "@/lib/keystore";

process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
useTestDatabase();
// fillNoncePools computes on the process's nonce worker thread.
afterAll(() => stopNonceWorker());

async function serverShareOf(signerId: string) {
  const row = await db().signerShare.findUniqueOrThrow({ where: { signerId } });
  return decodeKeyShare(new TextDecoder().decode(openSecret(row.sealed as unknown as SealedBlob, `signer-share:${signerId}`)), FAST_TEST);
}

const N = (share: Awaited<ReturnType<typeof serverShareOf>>, j: number) => BigInt("0x" + share.aux.parties[j]!.N);
const pedersenOf = (share: Awaited<ReturnType<typeof serverShareOf>>, j: number) => {
  const a = share.aux.parties[j]!;
  return { N: BigInt("0x" + a.NHat), s: BigInt("0x" + a.s), t: BigInt("0x" + a.t) };
};

describe("server Paillier nonce pool", () => {
  it("tops up per modulus, seals r and r^N at rest, and hands each nonce to one of several concurrent claims", async () => {
    const owner = await makeUser();
    const { signer } = await dealtSigner(owner.organizationId);
    const share = await serverShareOf(signer.id);
    // One session's worth: own key 8 (either pair), each client party's key 4, and 6 + 6 masks under
    // each client party's ring-Pedersen parameters.
    expect(serverPoolDemand(share, 1, FAST_TEST).map((d) => d.count)).toEqual([8, 4, 6, 6, 4, 6, 6]);
    expect(await topUpSignerNonces(db(), { signerId: signer.id, share, sessions: 1, profile: FAST_TEST })).toBe(40);
    expect(await topUpSignerNonces(db(), { signerId: signer.id, share, sessions: 1, profile: FAST_TEST })).toBe(0);
    const own = N(share, 1);
    expect(await noncePoolSize(db(), signer.id, own)).toBe(8);
    expect(await noncePoolSize(db(), signer.id, N(share, 0))).toBe(4);
    const dump = JSON.stringify(await db().paillierNonce.findMany());

    // Four claims of 3 at once on 8 rows: 8 handed out in all, no nonce twice.
    const pools = await Promise.all([0, 1, 2, 3].map(() => claimNonces(db(), signer.id, [{ N: own, count: 3 }])));
    const taken: NoncePower[] = [];
    for (const p of pools) for (let n = p.take(own); n; n = p.take(own)) taken.push(n);
    expect(taken).toHaveLength(8);
    expect(new Set(taken.map((t) => t.r.toString(16))).size).toBe(8);
    expect(await noncePoolSize(db(), signer.id, own)).toBe(0);
    const key = ownPaillierKey(share);
    for (const t of taken) {
      // Each is a real nonce of this key, and neither r nor r^N is readable in the dump.
      expect(t.rN).toBe(modPowCheck(t.r, key.N, key.N2));
      for (const v of [t.r, t.rN]) {
        expect(dump).not.toContain(v.toString(16));
        expect(dump).not.toContain(v.toString(10).slice(0, 40));
      }
    }
    // Masks: sealed the same way, claimed once, each a real (y, t^y) under the client party's parameters.
    const slot = maskSlots(pedersenOf(share, 0), FAST_TEST).ellEps;
    expect(await maskPoolSize(db(), signer.id, slot)).toBe(6);
    const maskPools = await Promise.all([0, 1].map(() => claimNonces(db(), signer.id, [{ mask: slot, count: 4 }])));
    const masks = maskPools.flatMap((p) => [p.takeMask(slot), p.takeMask(slot), p.takeMask(slot), p.takeMask(slot)].filter((m) => m !== undefined));
    expect(masks).toHaveLength(6);
    expect(new Set(masks.map((m) => m.y.toString(16))).size).toBe(6);
    for (const m of masks) {
      const tAbs = modPowCheck(slot.params.t, m.y < 0n ? -m.y : m.y, slot.params.N);
      expect(m.ty).toBe(m.y < 0n ? modInv(tAbs, slot.params.N) : tAbs);
      expect(dump).not.toContain((m.y < 0n ? -m.y : m.y).toString(16));
      expect(dump).not.toContain(m.ty.toString(16));
    }
    expect(await maskPoolSize(db(), signer.id, slot)).toBe(0);
  });

  it("gives back only what a step did not take; a sealed row does not open under another signer's or modulus' name", async () => {
    const owner = await makeUser();
    const { signer } = await dealtSigner(owner.organizationId);
    const share = await serverShareOf(signer.id);
    await topUpSignerNonces(db(), { signerId: signer.id, share, sessions: 1, profile: FAST_TEST });
    const peer = N(share, 2);
    const pool = await claimNonces(db(), signer.id, [{ N: peer, count: 4 }]);
    const used = pool.take(peer)!;
    expect(await returnUnusedNonces(db(), signer.id, pool)).toBe(3);
    const back = await claimNonces(db(), signer.id, [{ N: peer, count: 10 }]);
    const again: bigint[] = [];
    for (let n = back.take(peer); n; n = back.take(peer)) again.push(n.r);
    expect(again).toHaveLength(3);
    expect(again).not.toContain(used.r);

    // Masks come back the same way: only the untaken ones.
    const slot = maskSlots(pedersenOf(share, 2), FAST_TEST).ell;
    const maskPool = await claimNonces(db(), signer.id, [{ mask: slot, count: 6 }]);
    const usedMask = maskPool.takeMask(slot)!;
    expect(await returnUnusedNonces(db(), signer.id, maskPool)).toBe(5);
    const maskBack = await claimNonces(db(), signer.id, [{ mask: slot, count: 10 }]);
    const maskAgain: bigint[] = [];
    for (let m = maskBack.takeMask(slot); m; m = maskBack.takeMask(slot)) maskAgain.push(m.y);
    expect(maskAgain).toHaveLength(5);
    expect(maskAgain).not.toContain(usedMask.y);

    const row = await db().paillierNonce.findFirstOrThrow({ where: { signerId: signer.id, modulus: modulusId(N(share, 1)) } });
    const other = await db().paillierNonce.findFirstOrThrow({ where: { signerId: signer.id, modulus: modulusId(N(share, 0)) } });
    await db().paillierNonce.update({ where: { id: other.id }, data: { sealed: row.sealed as object } });
    await expect(claimNonces(db(), signer.id, [{ N: modulusOwner(share, other.modulus), count: 10 }])).rejects.toThrow();
    // A nonce's sealed row does not open as a mask either (the associated data names the kind).
    const maskRow = await db().paillierNonce.findFirstOrThrow({ where: { signerId: signer.id, modulus: maskSlotId(maskSlots(pedersenOf(share, 0), FAST_TEST).ell) } });
    await db().paillierNonce.update({ where: { id: maskRow.id }, data: { sealed: row.sealed as object } });
    await expect(claimNonces(db(), signer.id, [{ mask: maskSlots(pedersenOf(share, 0), FAST_TEST).ell, count: 10 }])).rejects.toThrow();
  });

  it("the filler skips nothing it should fill and drops a deleted signer's nonces", async () => {
    const owner = await makeUser();
    const a = await dealtSigner(owner.organizationId);
    const b = await dealtSigner(owner.organizationId);
    await fillNoncePools(db(), { sessions: 1 });
    expect(await db().paillierNonce.count({ where: { signerId: a.signer.id } })).toBe(40);
    expect(await db().paillierNonce.count({ where: { signerId: b.signer.id } })).toBe(40);
    await db().signer.update({ where: { id: b.signer.id }, data: { deletedAt: new Date() } });
    expect(await fillNoncePools(db(), { sessions: 1 })).toBe(0);
    expect(await db().paillierNonce.count({ where: { signerId: b.signer.id } })).toBe(0);
    expect(await db().paillierNonce.count({ where: { signerId: a.signer.id } })).toBe(40);
  });

  it("a signing session through the API takes one session's nonces from the pool and still signs validly", async () => {
    const owner = await makeUser();
    const { signer, apiKey, agentShare } = await dealtSigner(owner.organizationId);
    const share = await serverShareOf(signer.id);
    await topUpSignerNonces(db(), { signerId: signer.id, share, sessions: 1, profile: FAST_TEST });
    const [own, agentN, userN] = [N(share, 1), N(share, 0), N(share, 2)];
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey, share: agentShare, profile: FAST_TEST, fetch: appFetch });
    await agent.prepareNonces();
    const agentDemand = signSessionNonceDemand(agentShare, [0, 1], FAST_TEST);
    for (const d of agentDemand) expect(isMaskDemand(d) ? agent.nonces.maskSize(d.mask) : agent.nonces.size(d.N)).toBe(d.count);
    const usedBefore = agent.nonces.used;

    const signed = await agent.signMessage("pooled nonces");
    expect(await recoverMessageAddress({ message: "pooled nonces", signature: signed.signature })).toBe(signer.address);
    // Server: the own-key and agent-key nonces of one {agent, server} session are gone; the user's untouched.
    expect(await noncePoolSize(db(), signer.id, own)).toBe(0);
    expect(await noncePoolSize(db(), signer.id, agentN)).toBe(0);
    expect(await noncePoolSize(db(), signer.id, userN)).toBe(4);
    // …and so are the masks under the agent's parameters; the user's stay.
    for (const slot of Object.values(maskSlots(pedersenOf(share, 0), FAST_TEST))) expect(await maskPoolSize(db(), signer.id, slot)).toBe(0);
    for (const slot of Object.values(maskSlots(pedersenOf(share, 2), FAST_TEST))) expect(await maskPoolSize(db(), signer.id, slot)).toBe(6);
    // Agent: its whole session came from its start-up pool.
    expect(agent.nonces.used - usedBefore).toBe(agentDemand.reduce((s, d) => s + d.count, 0));
  });
});

function modPowCheck(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let x = b % m;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return r;
}

function modulusOwner(share: { aux: { parties: { N: string }[] } }, id: string): bigint {
  const hit = share.aux.parties.map((p) => BigInt("0x" + p.N)).find((n) => modulusId(n) === id);
  if (hit === undefined) throw new Error("unknown modulus");
  return hit;
}
