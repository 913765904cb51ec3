/**
 * Page script of `npm run bench:browser` (bundled by tools/bench-browser.ts): the bench:mpc figures
 * measured in Chromium — modexp in a worker, one safe prime in the prime worker, aux info and 2-party
 * signing in the MPC workers (lib/mpc/worker), with the wall time the page sees.
 */
import type { AuxInfo, CoreKeyShare, KeyShare } from "@/lib/mpc/key-share";
import type { EcdsaSignature } from "@/lib/mpc/sign";
import type { AuxPrimesHex, PrimeWorkerResponse } from "@/lib/mpc/worker/messages";
import { MpcWorkerClient, runWorkers, type WorkerOutcome } from "@/lib/mpc/worker/worker-client";

const client = (url: string) => new MpcWorkerClient(new Worker(url, { type: "module" }));

async function starts(clients: Map<number, MpcWorkerClient>, request: (id: number) => Parameters<MpcWorkerClient["start"]>[0]): Promise<Map<number, WorkerOutcome>> {
  return new Map(await Promise.all([...clients].map(async ([id, c]) => [id, await c.start(request(id))] as const)));
}

function modexp(runs: number, bits: number): Promise<{ backend: string; ms: number[] }> {
  return new Promise((resolve, reject) => {
    const w = new Worker("/bench.worker.js", { type: "module" });
    w.onmessage = (ev: MessageEvent) => {
      w.terminate();
      const d = ev.data as { ok: boolean; backend: string; ms: number[]; message?: string };
      if (d.ok) resolve(d);
      else reject(new Error(d.message));
    };
    w.postMessage({ runs, bits });
  });
}

/** Wall time of one safe prime in a fresh prime worker, and how many candidates reached the Fermat tests. */
function prime(bits: number): Promise<{ ms: number; tested: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const w = new Worker("/prime.worker.js", { type: "module" });
    let tested = 0;
    w.onmessage = (ev: MessageEvent) => {
      const m = ev.data as PrimeWorkerResponse;
      if (m.type === "progress") {
        tested = m.tested;
        return;
      }
      w.terminate();
      if (m.type === "prime") resolve({ ms: performance.now() - t0, tested });
      else reject(new Error(m.message));
    };
    w.postMessage({ type: "prime", bits });
  });
}

/** Keygen (not timed) and aux info for three parties, one keygen worker each; aux wall as the page sees it. */
async function keygenAndAux(input: { primes: AuxPrimesHex[]; sids: { keygen: string; aux: string } }): Promise<{ auxMs: number; shares: KeyShare[] }> {
  const ids = [0, 1, 2];
  const workers = new Map(ids.map((i) => [i, client("/keygen.worker.js")]));
  try {
    const cores = await runWorkers<CoreKeyShare>(workers, await starts(workers, (i) => ({ type: "keygen.start", index: i, n: 3, threshold: 2, sid: input.sids.keygen, profile: "production" })));
    const t0 = performance.now();
    const auxes = await runWorkers<AuxInfo>(workers, await starts(workers, (i) => ({ type: "aux.start", index: i, n: 3, sid: input.sids.aux, profile: "production", primes: input.primes[i]! })));
    const auxMs = performance.now() - t0;
    return { auxMs, shares: ids.map((i) => ({ core: cores.get(i)!, aux: auxes.get(i)! })) };
  } finally {
    for (const c of workers.values()) c.terminate();
  }
}

/** 2-party signing, one sign worker per party (created before the clock starts). */
async function sign(input: { shares: KeyShare[]; signers: number[]; messageHash: string; sid: string }): Promise<{ ms: number; signature: EcdsaSignature }> {
  const workers = new Map(input.signers.map((i) => [i, client("/sign.worker.js")]));
  try {
    // A request the worker refuses answers once its module (and backend measurement) has loaded.
    await Promise.all([...workers.values()].map((c) => c.start({ type: "ready?" } as never)));
    const t0 = performance.now();
    const sigs = await runWorkers<EcdsaSignature>(workers, await starts(workers, (i) => ({ type: "sign.start", share: input.shares[i]!, signers: input.signers, messageHash: input.messageHash, sid: input.sid, profile: "production" })));
    return { ms: performance.now() - t0, signature: sigs.get(input.signers[0]!)! };
  } finally {
    for (const c of workers.values()) c.terminate();
  }
}

const api = { modexp, prime, keygenAndAux, sign, cores: () => navigator.hardwareConcurrency };
(globalThis as unknown as { bench: typeof api }).bench = api;
