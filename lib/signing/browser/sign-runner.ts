/**
 * Worker side of "send": the user's party (2) of a User+Server signing session, run against
 * /api/v1/signers/{id}/sign/round. The decrypted share lives only in this worker.
 */
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { decodeKeyShare, type EcdsaSignature, type Message } from "@/lib/mpc";
import { profileNamed } from "@/lib/mpc/protocol";
import { CeremonyAborted, driveCeremony } from "@/lib/signing/driver";
import { localSignParty } from "@/lib/signing/local-party";
import { checkUserShare } from "@/lib/signing/user-share-crypto";
import type { SignWorkerRequest, SignWorkerResponse } from "./messages";
import { describeFailure, roundTransport } from "./transport";

export function createSignRunner(post: (m: SignWorkerResponse) => void) {
  return async function handle(req: SignWorkerRequest) {
    try {
      ensureBackendSelected();
      if (req.profile !== "production" && req.profile !== "fast-test") throw new Error(`Unknown security profile ${req.profile}`);
      const profile = profileNamed(req.profile);
      const share = decodeKeyShare(req.share, profile);
      checkUserShare(share, req.publicKey);
      const { session } = req;
      const party = localSignParty({ share, signers: session.signers, messageHash: session.messageHash.replace(/^0x/, ""), sid: session.sid, profile });
      await driveCeremony<EcdsaSignature>({
        transport: roundTransport(`/api/v1/signers/${encodeURIComponent(req.signerId)}/sign/round`, { sessionId: session.sessionId }, false),
        parties: [party],
        initial: session.messages as { seq: string; message: Message }[],
        onProgress: (e) => post({ type: "progress", protocol: "sign", round: e.round, party: e.party }),
        pollIntervalMs: 150,
        maxPolls: 2400,
      });
      post({ type: "done" });
    } catch (err) {
      if (err instanceof CeremonyAborted) post({ type: "error", message: `Signing was aborted: ${JSON.stringify(err.blame)}` });
      else post({ type: "error", ...describeFailure(err) });
    }
  };
}
