/**
 * Page script of `npm run bench:browser` (bundled by tools/bench-browser.ts): the bench:mpc figures
 * measured in Chromium — modexp in a worker, one safe prime in the prime worker, one party's keygen and
 * aux info in a keygen worker (the other parties in the bench process), 2-party signing in sign workers
 * (lib/mpc/worker), with the times the page sees.
 */
import type { KeyShare } from "@/lib/mpc/key-share";
import type { Message } from "@/lib/mpc/protocol";
import type { EcdsaSignature } from "@/lib/mpc/sign";
import type { PrimeWorkerResponse } from "@/lib/mpc/worker/messages";
import { MpcWorkerClient, runWorkers, type WorkerOutcome } from "@/lib/mpc/worker/worker-client";

const client = (url: string) => new MpcWorkerClient(new Worker(url, { type: "module" }));

/** Resolves once the worker's module (and its backend measurement) has loaded: a request it refuses answers then. */
const loaded = (c: MpcWorkerClient) => c.start({ type: "ready?" } as never);

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

/**
 * One party in a keygen worker (with the repetition workers its aux run starts, as in the product),
 * the other parties elsewhere: the bench hands in each round's messages and gets the party's outcome
 * back with the time it took, from handing over the messages until the outcome arrived.
 */
let party: MpcWorkerClient | null = null;

async function timed(run: (c: MpcWorkerClient) => Promise<WorkerOutcome | null>): Promise<{ ms: number; outcome: WorkerOutcome }> {
  if (!party) throw new Error("no party worker: call partyOpen first");
  const c = party;
  const t0 = performance.now();
  const outcome = await run(c);
  const ms = performance.now() - t0;
  if (!outcome) throw new Error("the party worker gave no outcome");
  return { ms, outcome };
}

/** A fresh keygen worker, once loaded. */
async function partyOpen(): Promise<void> {
  partyClose();
  party = client("/keygen.worker.js");
  await loaded(party);
}

const partyStart = (req: Parameters<MpcWorkerClient["start"]>[0]) => timed((c) => c.start(req));
const partyStep = (incoming: Message[]) => timed((c) => c.step(incoming, true));

function partyClose(): void {
  party?.terminate();
  party = null;
}

/**
 * 2-party signing, one sign worker per party (created before the clock starts). `prepared`: each
 * worker first precomputes its session's Paillier nonces (sign.prepare, as the approval dialog and
 * the server's filler do ahead of a request), also before the clock starts.
 */
async function sign(input: { shares: KeyShare[]; signers: number[]; messageHash: string; sid: string; prepared?: boolean }): Promise<{ ms: number; signature: EcdsaSignature }> {
  const workers = new Map(input.signers.map((i) => [i, client("/sign.worker.js")]));
  try {
    await Promise.all([...workers.values()].map(loaded));
    if (input.prepared) {
      await Promise.all(input.signers.map((i) => workers.get(i)!.prepare(input.shares[i]!, input.signers, "production")));
    }
    const t0 = performance.now();
    const sigs = await runWorkers<EcdsaSignature>(workers, await starts(workers, (i) => ({ type: "sign.start", share: input.shares[i]!, signers: input.signers, messageHash: input.messageHash, sid: input.sid, profile: "production" })));
    return { ms: performance.now() - t0, signature: sigs.get(input.signers[0]!)! };
  } finally {
    for (const c of workers.values()) c.terminate();
  }
}

const api = { modexp, prime, partyOpen, partyStart, partyStep, partyClose, sign, cores: () => navigator.hardwareConcurrency };
(globalThis as unknown as { bench: typeof api }).bench = api;
