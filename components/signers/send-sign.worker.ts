/** Web Worker of the send dialog: the user's signing party (2), off the main thread. */
import { workerScope } from "@/lib/mpc/worker/messages";
import { createSignRunner } from "@/lib/signing/browser/sign-runner";
import type { SignWorkerRequest, SignWorkerResponse } from "@/lib/signing/browser/messages";

const scope = workerScope();
const handle = createSignRunner((m: SignWorkerResponse) => scope.postMessage(m));
scope.onmessage = (event: MessageEvent) => void handle(event.data as SignWorkerRequest);
