/**
 * The typed postMessage protocol between the main thread and the MPC Web Workers. Everything that
 * crosses the boundary is JSON-safe (bigints as hex), so the same shapes work over HTTP.
 */
import type { AuxInfo, CoreKeyShare, KeyShare } from "../key-share";
import type { RepetitionJob, RepetitionResult } from "../proofs/repetitions";
import type { Message, ProtocolBlame, ProtocolName } from "../protocol";
import type { EcdsaSignature } from "../sign";

export type ProfileName = "production" | "fast-test";

/** Four safe primes as hex strings: Paillier p, q and ring-Pedersen p̂, q̂. */
export interface AuxPrimesHex {
  p: string;
  q: string;
  pHat: string;
  qHat: string;
}

export type WorkerRequest =
  | { type: "keygen.start"; index: number; n: number; threshold: number; sid: string; echo?: boolean; profile: ProfileName }
  | {
      type: "aux.start";
      index: number;
      n: number;
      sid: string;
      echo?: boolean;
      profile: ProfileName;
      /** Pregenerated primes; when absent the worker generates them in parallel prime workers. */
      primes?: AuxPrimesHex;
      /** URL of the bundled prime worker (default: ./prime.worker.js next to this worker). */
      primeWorkerUrl?: string;
      /**
       * URL of the bundled repetition worker (default: ./repetition.worker.js next to this worker);
       * null computes every repetition in this worker.
       */
      repetitionWorkerUrl?: string | null;
    }
  /**
   * Precompute this party's Paillier nonces for one session with `signers` (spec §6.4), e.g. while
   * an approval dialog is open; the next sign.start takes them. Answered with "prepared".
   */
  | { type: "sign.prepare"; share: KeyShare; signers: number[]; profile?: ProfileName }
  | {
      type: "sign.start";
      share: KeyShare;
      signers: number[];
      messageHash: string;
      sid: string;
      echo?: boolean;
      profile: ProfileName;
    }
  | { type: "step"; incoming: Message[] };

export interface PrimeProgressEvent {
  type: "progress";
  prime: number;
  candidates: number;
  tested: number;
  done: boolean;
}

export type WorkerResponse =
  | { type: "outgoing"; protocol: ProtocolName; round: number; messages: Message[] }
  | { type: "output"; protocol: "keygen"; output: CoreKeyShare }
  | { type: "output"; protocol: "aux"; output: AuxInfo }
  | { type: "output"; protocol: "sign"; output: EcdsaSignature }
  | { type: "abort"; protocol: ProtocolName; blame: ProtocolBlame }
  | { type: "prepared"; nonces: number }
  | { type: "rejected"; check: string; message: string }
  | { type: "error"; message: string }
  | PrimeProgressEvent;

/** Prime worker protocol: one request, progress events, one prime (hex) or an error. */
export type PrimeWorkerRequest = { type: "prime"; bits: number };
export type PrimeWorkerResponse =
  | { type: "progress"; candidates: number; tested: number }
  | { type: "prime"; prime: string }
  | { type: "error"; message: string };

/**
 * Repetition worker protocol: one slice of Π^mod/Π^prm repetitions per request. Worker to worker only,
 * so bigints travel as they are (structured clone, not JSON); the prover slices carry secrets, which
 * stay in the two workers' memory.
 */
export type RepetitionWorkerRequest = { type: "job"; id: number; job: RepetitionJob };
export type RepetitionWorkerResponse =
  | { type: "result"; id: number; result: RepetitionResult }
  | { type: "error"; id: number; message: string };

/** The part of a dedicated worker's global scope the entry points use (no "webworker" lib needed). */
export interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

export function workerScope(): WorkerScope {
  return globalThis as unknown as WorkerScope;
}
