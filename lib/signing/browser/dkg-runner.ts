/**
 * Worker side of the create-signer wizard: runs the agent's (0) and the user's (2) DKG parties
 * against the server's party through /api/v1/dkg/round (point-to-point messages between the two
 * stay in this worker), then keeps the agent's share here until it is sealed into a share file.
 */
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { encodeKeyShare, type KeyShare, type Message } from "@/lib/mpc";
import { profileNamed } from "@/lib/mpc/protocol";
import { encryptShareFile, type ProfileName } from "@/lib/sdk/share-file";
import { CeremonyAborted, driveCeremony } from "@/lib/signing/driver";
import { localDkgParty } from "@/lib/signing/local-party";
import type { DkgStart, DkgWorkerRequest, DkgWorkerResponse, ShareFileRequest } from "./messages";
import { describeFailure, roundTransport } from "./transport";

const PARTY = { agent: 0, user: 2 } as const;

function hexPrimes(p: { p: string; q: string; pHat: string; qHat: string }) {
  const b = (h: string) => BigInt(`0x${h}`);
  return { p: b(p.p), q: b(p.q), pHat: b(p.pHat), qHat: b(p.qHat) };
}

function knownProfile(name: string): ProfileName {
  if (name !== "production" && name !== "fast-test") throw new Error(`The server announced an unknown security profile: ${name}`);
  return name;
}

export function createDkgRunner(post: (m: DkgWorkerResponse) => void) {
  let agentShare: KeyShare | null = null;
  let profile: ProfileName | null = null;

  async function start(req: DkgStart) {
    ensureBackendSelected();
    profile = knownProfile(req.ceremony.profile);
    const securityProfile = profileNamed(profile);
    const { ceremony } = req;
    const party = (index: number, primes: DkgStart["primes"]["agent"]) =>
      localDkgParty({ index, n: 3, threshold: 2, sid: ceremony.sid, auxSid: ceremony.auxSid, primes: hexPrimes(primes), profile: securityProfile });
    const { outputs } = await driveCeremony<KeyShare>({
      transport: roundTransport("/api/v1/dkg/round", { ceremonyId: ceremony.ceremonyId }, true),
      parties: [party(PARTY.agent, req.primes.agent), party(PARTY.user, req.primes.user)],
      initial: ceremony.messages as { seq: string; message: Message }[],
      onProgress: (e) => post({ type: "progress", protocol: e.protocol as "keygen" | "aux", round: e.round, party: e.party }),
      pollIntervalMs: 250,
      maxPolls: 2400,
    });
    const agent = outputs.get(PARTY.agent);
    const user = outputs.get(PARTY.user);
    if (!agent || !user) throw new Error("Key generation ended without both client shares");
    if (agent.core.publicKey !== user.core.publicKey) throw new Error("The two client parties computed different public keys");
    agentShare = agent;
    post({ type: "done", publicKey: agent.core.publicKey, userShare: encodeKeyShare(user) });
  }

  async function shareFile(req: ShareFileRequest) {
    if (!agentShare || !profile) throw new Error("No agent share in this worker: run key generation first");
    const file = await encryptShareFile({ ...req.contents, profile, share: agentShare }, req.passphrase);
    post({ type: "share-file", file });
  }

  return async function handle(req: DkgWorkerRequest) {
    try {
      if (req.type === "start") await start(req);
      else if (req.type === "share-file") await shareFile(req);
    } catch (err) {
      if (err instanceof CeremonyAborted) post({ type: "error", message: `Key generation was aborted: ${JSON.stringify(err.blame)}` });
      else post({ type: "error", ...describeFailure(err) });
    }
  };
}
