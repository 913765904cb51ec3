/** Web Worker entry: one signing party (interactive presign + sign). State lives only in this worker. */
import { ensureBackendSelected } from "../bigint";
import { NoncePool, ownPaillierKey, signSessionNonceDemand } from "../nonces";
import { profileNamed } from "../protocol";
import { startSign, stepSign, type EcdsaSignature, type SignState } from "../sign";
import { workerScope, type WorkerRequest, type WorkerResponse } from "./messages";
import { errorMessage, WorkerSession } from "./session";

// Measure once per worker and use the faster big-integer backend (WASM where SIMD is available).
ensureBackendSelected();
const scope = workerScope();
const post = (m: WorkerResponse) => scope.postMessage(m);

let session: WorkerSession<SignState, EcdsaSignature> | null = null;
/** Nonces from sign.prepare, used (each once) by the sessions that follow. */
const nonces = new NoncePool();

function handle(req: WorkerRequest): void {
  if (req.type === "sign.prepare") {
    const own = ownPaillierKey(req.share);
    nonces
      .fill(signSessionNonceDemand(req.share, req.signers, profileNamed(req.profile ?? "production")), { key: (N) => (N === own.N ? own : undefined) })
      .then((added) => post({ type: "prepared", nonces: added }))
      .catch((e: unknown) => post({ type: "error", message: errorMessage(e) }));
  } else if (req.type === "sign.start") {
    const profile = profileNamed(req.profile);
    const start = startSign({
      share: req.share,
      signers: req.signers,
      messageHash: req.messageHash,
      sid: req.sid,
      echo: req.echo,
      profile,
      nonces,
    });
    session = new WorkerSession({ protocol: "sign", step: (s, incoming) => stepSign(s, incoming, { nonces }) }, start, post, (output) => ({
      type: "output",
      protocol: "sign",
      output,
    }));
  } else if (req.type === "step") {
    if (!session?.active) {
      post({ type: "error", message: "no signing session is running" });
      return;
    }
    session.step(req.incoming).catch((e: unknown) => post({ type: "error", message: errorMessage(e) }));
  } else {
    post({ type: "error", message: `sign worker cannot handle ${req.type}` });
  }
}

scope.onmessage = (event: MessageEvent) => {
  try {
    handle(event.data as WorkerRequest);
  } catch (e) {
    post({ type: "error", message: errorMessage(e) });
  }
};
