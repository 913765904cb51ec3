/**
 * Web Worker entry: threshold keygen followed by aux-info generation for one party. Without supplied
 * primes, the four safe primes are generated in four parallel prime workers, with progress events.
 * With more than one core, aux info computes the Π^mod/Π^prm repetitions (and the peers' proofs side
 * by side) in a pool of repetition workers, terminated when the aux run ends.
 */
import { ensureBackendSelected } from "../bigint";
import { startAux, startAuxParallel, stepAux, stepAuxParallel, type AuxParams, type AuxPrimes, type AuxState } from "../aux";
import type { AuxInfo, CoreKeyShare } from "../key-share";
import { startKeygen, stepKeygen, type KeygenState } from "../keygen";
import { profileNamed, type Message } from "../protocol";
import {
  workerScope,
  type AuxPrimesHex,
  type PrimeWorkerResponse,
  type WorkerRequest,
  type WorkerResponse,
} from "./messages";
import { browserRepetitionPool, type RepetitionPool } from "./repetition-pool";
import { errorMessage, WorkerSession, type Machine } from "./session";

// Measure once per worker and use the faster big-integer backend (WASM where SIMD is available).
ensureBackendSelected();
const scope = workerScope();
const post = (m: WorkerResponse) => scope.postMessage(m);

let keygenSession: WorkerSession<KeygenState, CoreKeyShare> | null = null;
let auxSession: WorkerSession<AuxState, AuxInfo> | null = null;

function fromHex(p: AuxPrimesHex): AuxPrimes {
  return { p: BigInt("0x" + p.p), q: BigInt("0x" + p.q), pHat: BigInt("0x" + p.pHat), qHat: BigInt("0x" + p.qHat) };
}

/** One safe prime per nested worker, all four in parallel; duplicates (astronomically unlikely) are redrawn. */
async function generatePrimesInWorkers(bits: number, url: string): Promise<AuxPrimes> {
  const one = (prime: number) =>
    new Promise<bigint>((resolve, reject) => {
      const w = new Worker(url, { type: "module" });
      w.onmessage = (ev: MessageEvent) => {
        const m = ev.data as PrimeWorkerResponse;
        if (m.type === "progress") {
          post({ type: "progress", prime, candidates: m.candidates, tested: m.tested, done: false });
        } else if (m.type === "prime") {
          w.terminate();
          post({ type: "progress", prime, candidates: 0, tested: 0, done: true });
          resolve(BigInt("0x" + m.prime));
        } else {
          w.terminate();
          reject(new Error(m.message));
        }
      };
      w.onerror = (ev) => {
        w.terminate();
        reject(new Error(`prime worker failed: ${ev.message}`));
      };
      w.postMessage({ type: "prime", bits });
    });
  for (;;) {
    const [p, q, pHat, qHat] = await Promise.all([0, 1, 2, 3].map(one));
    if (new Set([p, q, pHat, qHat]).size === 4) return { p: p!, q: q!, pHat: pHat!, qHat: qHat! };
  }
}

/** Aux info with the repetitions in a worker pool where that helps; the pool lives as long as the run. */
async function auxMachine(params: AuxParams, repetitionWorkerUrl: string | null): Promise<{ machine: Machine<AuxState, AuxInfo>; start: { state: AuxState; outgoing: Message[] } }> {
  const pool: RepetitionPool | null = repetitionWorkerUrl === null ? null : browserRepetitionPool(() => new Worker(repetitionWorkerUrl, { type: "module" }));
  if (!pool) return { machine: { protocol: "aux", step: stepAux }, start: startAux(params) };
  try {
    const start = await startAuxParallel(params, pool.run);
    return { machine: { protocol: "aux", step: (state, incoming) => stepAuxParallel(state, incoming, pool.run), close: () => pool.close() }, start };
  } catch (e) {
    pool.close();
    throw e;
  }
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.type) {
    case "keygen.start": {
      const start = startKeygen({ ...req, profile: profileNamed(req.profile) });
      keygenSession = new WorkerSession({ protocol: "keygen", step: stepKeygen }, start, post, (output) => ({
        type: "output",
        protocol: "keygen",
        output,
      }));
      return;
    }
    case "aux.start": {
      const profile = profileNamed(req.profile);
      const primes = req.primes
        ? fromHex(req.primes)
        : await generatePrimesInWorkers(profile.primeBits, req.primeWorkerUrl ?? new URL("./prime.worker.js", import.meta.url).href);
      const repetitionUrl = req.repetitionWorkerUrl === undefined ? new URL("./repetition.worker.js", import.meta.url).href : req.repetitionWorkerUrl;
      const { machine, start } = await auxMachine({ index: req.index, n: req.n, sid: req.sid, echo: req.echo, primes, profile }, repetitionUrl);
      auxSession = new WorkerSession(machine, start, post, (output) => ({
        type: "output",
        protocol: "aux",
        output,
      }));
      return;
    }
    case "step": {
      const session = keygenSession?.active ? keygenSession : auxSession?.active ? auxSession : null;
      if (!session) {
        post({ type: "error", message: "no keygen or aux session is running" });
        return;
      }
      await session.step(req.incoming);
      return;
    }
    default:
      post({ type: "error", message: `keygen worker cannot handle ${req.type}` });
  }
}

scope.onmessage = (event: MessageEvent) => {
  handle(event.data as WorkerRequest).catch((e: unknown) => post({ type: "error", message: errorMessage(e) }));
};
