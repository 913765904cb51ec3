/** Web Worker of the create-signer wizard: the user's DKG party (2) — and the agent's (0) only in the opt-in browser mode — off the main thread. */
import { workerScope } from "@/lib/mpc/worker/messages";
import { createDkgRunner } from "@/lib/signing/browser/dkg-runner";
import type { DkgWorkerRequest, DkgWorkerResponse } from "@/lib/signing/browser/messages";

const scope = workerScope();
const handle = createDkgRunner((m: DkgWorkerResponse) => scope.postMessage(m), {
  // Aux info's proof repetitions are spread over two of these (where the browser has the cores).
  makeRepetitionWorker: () => new Worker(new URL("./dkg-repetition.worker.ts", import.meta.url), { type: "module" }),
});
scope.onmessage = (event: MessageEvent) => void handle(event.data as DkgWorkerRequest);
