/**
 * The server's nonce filler computes on its worker thread (lib/signing/nonce-worker.ts), not on the
 * thread that serves requests: every nonce a pass stores is an answer from the worker, whose thread
 * is not this one; the background filler uses the same one worker and stopping it terminates the
 * thread; a worker that cannot start fails the pass instead of computing inline.
 */
import os from "node:os";
import { threadId } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { openSecret, type SealedBlob } from "@/lib/keystore";
import { decodeKeyShare, FAST_TEST, maskSlots, ownPaillierKey, publicPaillierKey } from "@/lib/mpc";
import { modPow } from "@/lib/mpc/bigint";
import { claimNonces, noncePoolSize } from "@/lib/signing/nonce-pool";
import { fillNoncePools, startNoncePoolFiller } from "@/lib/signing/nonce-pool-filler";
import { nonceWorker, NonceWorkerError, stopNonceWorker } from "@/lib/signing/nonce-worker";
import { useTestDatabase } from "../helpers/db";
import { dealtSigner } from "../helpers/fault-rig";
import { makeUser } from "../helpers/http";

process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
useTestDatabase();
afterAll(() => stopNonceWorker());

async function serverShareOf(signerId: string) {
  const row = await db().signerShare.findUniqueOrThrow({ where: { signerId } });
  return decodeKeyShare(new TextDecoder().decode(openSecret(row.sealed as unknown as SealedBlob, `signer-share:${signerId}`)), FAST_TEST);
}

describe("the server's nonce worker thread", () => {
  it("computes every nonce of a filler pass off the main thread, and they are real nonces of their keys", async () => {
    const owner = await makeUser();
    const { signer } = await dealtSigner(owner.organizationId);
    const share = await serverShareOf(signer.id);
    const worker = nonceWorker();
    expect(worker.threadId).not.toBe(threadId);
    const before = worker.computed;

    // 16 nonces and 24 ring-Pedersen masks (6 + 6 under each client party's parameters).
    expect(await fillNoncePools(db(), { sessions: 1 })).toBe(40);
    // Every stored entry is an answer the worker thread sent (each answer carries its thread's id).
    expect(nonceWorker()).toBe(worker);
    expect(worker.computed - before).toBe(40);

    const own = ownPaillierKey(share);
    const peer = publicPaillierKey(BigInt("0x" + share.aux.parties[0]!.N));
    const pool = await claimNonces(db(), signer.id, [
      { N: own.N, count: 8 },
      { N: peer.N, count: 4 },
    ]);
    let checked = 0;
    for (const key of [own, peer]) {
      for (let n = pool.take(key.N); n; n = pool.take(key.N)) {
        // Own-key nonces came through CRT with the primes the job carried; both must be r^N mod N².
        expect(n.rN).toBe(modPow(n.r, key.N, key.N2));
        checked++;
      }
    }
    expect(checked).toBe(12);
    // The masks too are real: t^y mod N̂ under the client party's parameters.
    const a = share.aux.parties[2]!;
    const slot = maskSlots({ N: BigInt("0x" + a.NHat), s: BigInt("0x" + a.s), t: BigInt("0x" + a.t) }, FAST_TEST).ellEps;
    const masks = await claimNonces(db(), signer.id, [{ mask: slot, count: 6 }]);
    let maskCount = 0;
    for (let m = masks.takeMask(slot); m; m = masks.takeMask(slot)) {
      expect(m.ty).toBe(modPow(slot.params.t, m.y, slot.params.N));
      maskCount++;
    }
    expect(maskCount).toBe(6);
  });

  it("is the one worker the background filler uses, and stopping the filler terminates it", async () => {
    const owner = await makeUser();
    const { signer } = await dealtSigner(owner.organizationId);
    const share = await serverShareOf(signer.id);
    const worker = nonceWorker();
    const before = worker.computed;
    process.env.COUNTERSIGN_NONCE_POOL_TARGET = "1";
    resetEnvCache();
    const stop = startNoncePoolFiller();
    try {
      const own = ownPaillierKey(share).N;
      const deadline = Date.now() + 60_000;
      while ((await db().paillierNonce.count({ where: { signerId: signer.id } })) < 40 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await noncePoolSize(db(), signer.id, own)).toBe(8);
      expect(worker.computed - before).toBeGreaterThanOrEqual(40);
      expect(worker.running).toBe(true);
    } finally {
      stop();
      delete process.env.COUNTERSIGN_NONCE_POOL_TARGET;
      resetEnvCache();
    }
    expect(worker.running).toBe(false);
    await expect(worker.compute(publicPaillierKey(BigInt("0x" + share.aux.parties[0]!.N)))).rejects.toBeInstanceOf(NonceWorkerError);
    // The next user gets a new thread.
    const next = nonceWorker();
    expect(next).not.toBe(worker);
    expect(next.threadId).not.toBe(worker.threadId);
  });

  it("a worker that cannot start fails the pass (NonceWorkerError) rather than computing on the main thread", async () => {
    const owner = await makeUser();
    const { signer } = await dealtSigner(owner.organizationId);
    await stopNonceWorker();
    const cwd = process.cwd();
    // The worker's entry is found from the project root; elsewhere it cannot load.
    process.chdir(os.tmpdir());
    try {
      await expect(fillNoncePools(db(), { sessions: 1 })).rejects.toBeInstanceOf(NonceWorkerError);
    } finally {
      process.chdir(cwd);
    }
    expect(await db().paillierNonce.count({ where: { signerId: signer.id } })).toBe(0);
    await stopNonceWorker();
  });
});
