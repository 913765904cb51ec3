/**
 * What a repetition worker thread runs (lib/signing/repetition-thread.mjs loads this one module).
 * One module, so that one copy of lib/mpc/bigint serves both the backend switch and the
 * repetitions: every tsImport call loads its own copy of the modules it reaches, each with its own
 * active backend, and two imports left the repetitions on BigInt while the thread had switched the
 * other copy to the parent's backend. Relative imports only (the thread has no path aliases).
 */
import { adoptBackend, getBackend, type BackendName } from "../mpc/bigint";
import { runRepetitionJob, type RepetitionJob, type RepetitionResult } from "../mpc/proofs/repetitions";

export function useBackend(name: BackendName): void {
  adoptBackend(name);
}

/** A job's result, and the backend that computed it (the parent checks it is its own). */
export function computeRepetitionJob(job: RepetitionJob): { result: RepetitionResult; backend: BackendName } {
  return { result: runRepetitionJob(job), backend: getBackend().name };
}
