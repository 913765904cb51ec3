/**
 * Worker side of "send": the user's party (2) of a User+Server signing session, run against
 * /api/v1/signers/{id}/sign/round. The decrypted share lives only in this worker, and signs only a
 * digest and sid this worker recomputed from the user's intent (lib/signing/verify-session.ts).
 */
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { decodeKeyShare, NoncePool, sessionMaskDemand, type EcdsaSignature, type Message } from "@/lib/mpc";
import { profileNamed } from "@/lib/mpc/protocol";
import { CeremonyAborted, driveCeremony } from "@/lib/signing/driver";
import { localSignParty } from "@/lib/signing/local-party";
import { checkUserShare } from "@/lib/signing/user-share-crypto";
import { PARTY_INDEX } from "@/lib/signing/participants";
import { TamperedSessionError, verifySigningSession } from "@/lib/signing/verify-session";
import type { SignWorkerRequest, SignWorkerResponse } from "./messages";
import { describeFailure, roundTransport } from "./transport";

/** Nonces one {server, user} session takes under each key: 8 own (user), 4 of the peer's (server). */
const USER_OWN_NONCES = 8;
const SERVER_NONCES = 4;

/** `nonces`: the worker's pool (tests pass their own to look into it). */
export function createSignRunner(post: (m: SignWorkerResponse) => void, nonces = new NoncePool()) {
  const stopFill = new AbortController();
  let filling: Promise<number> | null = null;
  return async function handle(req: SignWorkerRequest) {
    if (req.type === "precompute") {
      // While the user fills in and reviews the transaction: public keys only (no CRT before the share is
      // unlocked); the masks under the server's ring-Pedersen parameters when the page passed them.
      if (filling) return;
      try {
        ensureBackendSelected();
        const user = BigInt(`0x${req.moduli.user}`);
        const server = BigInt(`0x${req.moduli.server}`);
        const rp = req.ringPedersen;
        const masks = rp ? sessionMaskDemand({ N: BigInt(`0x${rp.server.N}`), s: BigInt(`0x${rp.server.s}`), t: BigInt(`0x${rp.server.t}`) }, profileNamed(rp.profile)) : [];
        filling = nonces.fill([{ N: user, count: USER_OWN_NONCES }, { N: server, count: SERVER_NONCES }, ...masks], { signal: stopFill.signal });
        await filling;
      } catch {
        // A malformed modulus only means no precomputed nonces; signing computes its own.
      }
      return;
    }
    // The session takes what is ready; the background fill stops adding.
    stopFill.abort();
    try {
      ensureBackendSelected();
      if (req.profile !== "production" && req.profile !== "fast-test") throw new Error(`Unknown security profile ${req.profile}`);
      const profile = profileNamed(req.profile);
      const share = decodeKeyShare(req.share, profile);
      checkUserShare(share, req.publicKey);
      const { session } = req;
      // Sign only what this browser computed: the digest of the transaction (or message) the user saw,
      // and the sid re-derived from both nonces — checked here again, on the exact data the party uses.
      const verified = verifySigningSession(session, { keyId: req.signerId, party: PARTY_INDEX.user, clientNonce: req.clientNonce, intent: req.intent, identityKey: req.identity.publicKey });
      const party = localSignParty({ share, signers: verified.signers, messageHash: verified.messageHash.slice(2), sid: verified.sid, profile, identities: verified.identities, identity: req.identity, nonces });
      await driveCeremony<EcdsaSignature>({
        transport: roundTransport(`/api/v1/signers/${encodeURIComponent(req.signerId)}/sign/round`, { sessionId: session.sessionId, ...(req.identityCertificate ? { identityCertificate: req.identityCertificate } : {}) }, false),
        parties: [party],
        initial: session.messages as { seq: string; message: Message }[],
        onProgress: (e) => post({ type: "progress", protocol: "sign", round: e.round, party: e.party }),
        pollIntervalMs: 150,
        maxPolls: 2400,
      });
      post({ type: "done" });
    } catch (err) {
      if (err instanceof TamperedSessionError) post({ type: "error", message: `Refused to sign: ${err.message}. Nothing was signed.` });
      else if (err instanceof CeremonyAborted) post({ type: "error", message: `Signing was aborted: ${JSON.stringify(err.blame)}` });
      else post({ type: "error", ...describeFailure(err) });
    }
  };
}
