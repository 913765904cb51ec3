/**
 * Worker side of the create-signer wizard (components/signers/dkg.worker.ts).
 *
 * Remote mode (the default): this browser runs the user's party (2) only. `prepare` makes the
 * ceremony's ephemeral X25519 key pair and the invitation's pin; the private key stays in this
 * worker. `start-remote` first checks the agent's key against the pin (a server that substituted its
 * own key is caught before anything is encrypted to it), re-derives the execution ids from both
 * nonces, then drives party 2 against /api/v1/dkg/round with the point-to-point messages to and from
 * the agent (0) sealed end to end (lib/signing/e2e.ts). No agent share ever exists here.
 *
 * Browser mode (explicit opt-in, "This browser will briefly hold the agent's share too"): runs both
 * the agent's (0) and the user's (2) parties, and keeps the agent's share here until it is sealed
 * into a share file.
 *
 * With `makeRepetitionWorker` and more than one core, the parties compute their aux-info proofs'
 * repetitions in a small pool of repetition workers (lib/mpc/worker/repetition-pool.ts), which is
 * terminated when the ceremony ends; without it, or if a worker fails, they compute in this worker.
 */
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { browserRepetitionPool, encodeKeyShare, type KeyShare, type Message, type RepetitionPool, type WorkerLike } from "@/lib/mpc";
import { profileNamed } from "@/lib/mpc/protocol";
import { encryptShareFile, type ProfileName } from "@/lib/sdk/share-file";
import { CeremonyAborted, driveCeremony, type CeremonyResponse, type CeremonyTransport } from "@/lib/signing/driver";
import { assertAgentKey, e2eCodec, E2eError, generateE2eKeyPair, generatePin, pinnedIdentities, type E2eKeyPair } from "@/lib/signing/e2e";
import { newIdentityKey } from "@/lib/signing/message-auth";
import { localDkgParty, localDkgPartyParallel } from "@/lib/signing/local-party";
import { dkgSids } from "@/lib/signing/participants";
import type { DkgCeremony, DkgStartBrowser, DkgStartRemote, DkgWorkerRequest, DkgWorkerResponse, ShareFileRequest } from "./messages";
import { describeFailure, roundTransport } from "./transport";

const PARTY = { agent: 0, user: 2 } as const;
const PARTY_SERVER = 1;

function hexPrimes(p: { p: string; q: string; pHat: string; qHat: string }) {
  const b = (h: string) => BigInt(`0x${h}`);
  return { p: b(p.p), q: b(p.q), pHat: b(p.pHat), qHat: b(p.qHat) };
}

function knownProfile(name: string): ProfileName {
  if (name !== "production" && name !== "fast-test") throw new Error(`The server announced an unknown security profile: ${name}`);
  return name;
}

export class SidMismatchError extends Error {
  override name = "SidMismatchError";
}

/** The agent's key reported by the server does not carry the invitation pin's MAC. */
export class AgentKeyMismatchError extends Error {
  override name = "AgentKeyMismatchError";
}


/** Spec §8.2: the execution ids come from both nonces; this side re-derives them and refuses a mismatch. */
export function checkDkgSids(ceremony: DkgCeremony, clientNonce: string): void {
  if (ceremony.clientNonce !== undefined && ceremony.clientNonce !== clientNonce) {
    throw new SidMismatchError("The server did not use this browser's nonce for the key generation: refusing to run it");
  }
  if (!ceremony.serverNonce) return;
  const { sid, auxSid } = dkgSids({ keyId: ceremony.signerId, serverNonce: ceremony.serverNonce, clientNonce });
  if (sid !== ceremony.sid || auxSid !== ceremony.auxSid) {
    throw new SidMismatchError("The key generation's execution ids are not the ones both nonces give: refusing to run it");
  }
}

export function createDkgRunner(post: (m: DkgWorkerResponse) => void, opts: { makeRepetitionWorker?: () => WorkerLike } = {}) {
  let agentShare: KeyShare | null = null;
  /** The agent's long-term identity (browser mode): it goes into the share file with the share. */
  let agentIdentity: Uint8Array | null = null;
  let profile: ProfileName | null = null;
  let e2eKeys: (E2eKeyPair & { pin: string; agentIdentity: ReturnType<typeof newIdentityKey> }) | null = null;

  /** The ceremony's repetition workers (none on one core); closed when the ceremony ends. */
  let pool: RepetitionPool | null = null;
  const party = (ceremony: DkgCeremony, index: number, primes: DkgStartRemote["primes"], auth: { identities: Record<string, string>; identity: { secretKey: Uint8Array } }) => {
    const opts = { index, n: 3, threshold: 2, sid: ceremony.sid, auxSid: ceremony.auxSid, primes: hexPrimes(primes), profile: profileNamed(profile!), ...auth };
    return pool ? localDkgPartyParallel(opts, pool.run) : localDkgParty(opts);
  };
  /** The round transport, reporting which round each other party's messages belong to. */
  const transport = (ceremonyId: string): CeremonyTransport => {
    const inner = roundTransport("/api/v1/dkg/round", { ceremonyId }, true);
    const report = (res: CeremonyResponse) => {
      for (const r of res.messages ?? []) {
        const m = r.message;
        if (m && (m.protocol === "keygen" || m.protocol === "aux")) post({ type: "seen", from: m.from, protocol: m.protocol, round: m.round });
      }
      return res;
    };
    return { submit: async (b) => report(await inner.submit(b)), poll: async (b) => report(await inner.poll(b)) };
  };
  const onProgress = (e: { protocol: string; round: number; party: number }) => post({ type: "progress", protocol: e.protocol as "keygen" | "aux", round: e.round, party: e.party });

  function prepare() {
    const keys = generateE2eKeyPair();
    e2eKeys = { ...keys, pin: generatePin(), agentIdentity: newIdentityKey() };
    post({ type: "prepared", userKey: keys.publicKey, pin: e2eKeys.pin, userIdentityKey: keys.identity.publicKey, agentIdentityKey: e2eKeys.agentIdentity.publicKey });
  }

  /** The worker's keys, wiped once the ceremony is over (or failed). */
  function forgetKeys() {
    e2eKeys?.privateKey.fill(0);
    e2eKeys?.identity.secretKey.fill(0);
    e2eKeys?.agentIdentity.secretKey.fill(0);
    e2eKeys = null;
  }

  async function startRemote(req: DkgStartRemote) {
    if (!e2eKeys) throw new Error("This worker has no key for the invitation: prepare it first");
    ensureBackendSelected();
    profile = knownProfile(req.ceremony.profile);
    const { ceremony } = req;
    // The agent's key must carry the pin's MAC before anything is encrypted to it.
    let agentKey: string;
    try {
      agentKey = assertAgentKey({ pin: e2eKeys.pin, ceremonyId: ceremony.ceremonyId, agentKey: req.agent.agentKey, agentKeyMac: req.agent.agentKeyMac, userKey: e2eKeys.publicKey });
    } catch (err) {
      throw new AgentKeyMismatchError(err instanceof Error ? err.message : String(err));
    }
    checkDkgSids(ceremony, req.clientNonce);
    // Authenticated blame: the agent's identity must be the one behind the key its pin MAC covers.
    const identities = pinnedIdentities({ announced: ceremony.identities ?? {}, own: { index: PARTY.user, identityKey: e2eKeys.identity.publicKey }, peer: { index: PARTY.agent, e2eKey: agentKey, identityKey: req.agent.identityKey } });
    const codec = e2eCodec({ ceremonyId: ceremony.ceremonyId, privateKey: e2eKeys.privateKey, peerPublicKey: agentKey, peer: PARTY.agent });
    const { outputs } = await driveCeremony<KeyShare>({
      transport: transport(ceremony.ceremonyId),
      parties: [party(ceremony, PARTY.user, req.primes, { identities, identity: e2eKeys.identity })],
      initial: ceremony.messages as { seq: string; message: Message }[],
      codec,
      onProgress,
      pollIntervalMs: 250,
      // The agent may take a while to generate its primes between rounds: allow up to ~25 minutes.
      maxPolls: 6000,
    });
    const user = outputs.get(PARTY.user);
    if (!user) throw new Error("Key generation ended without your share");
    forgetKeys();
    post({ type: "done", publicKey: user.core.publicKey, userShare: encodeKeyShare(user) });
  }

  async function startBrowser(req: DkgStartBrowser) {
    if (!e2eKeys) throw new Error("This worker has no identity keys: prepare it first");
    ensureBackendSelected();
    profile = knownProfile(req.ceremony.profile);
    const { ceremony } = req;
    checkDkgSids(ceremony, req.clientNonce);
    const server = ceremony.identities?.[PARTY_SERVER];
    if (!server) throw new E2eError("The server announced no identity of its own");
    const identities = { [PARTY_SERVER]: server, [PARTY.agent]: e2eKeys.agentIdentity.publicKey, [PARTY.user]: e2eKeys.identity.publicKey };
    const { outputs } = await driveCeremony<KeyShare>({
      transport: transport(ceremony.ceremonyId),
      parties: [party(ceremony, PARTY.agent, req.primes.agent, { identities, identity: e2eKeys.agentIdentity }), party(ceremony, PARTY.user, req.primes.user, { identities, identity: e2eKeys.identity })],
      initial: ceremony.messages as { seq: string; message: Message }[],
      onProgress,
      pollIntervalMs: 250,
      maxPolls: 2400,
    });
    const agent = outputs.get(PARTY.agent);
    const user = outputs.get(PARTY.user);
    if (!agent || !user) throw new Error("Key generation ended without both client shares");
    if (agent.core.publicKey !== user.core.publicKey) throw new Error("The two client parties computed different public keys");
    agentIdentity = e2eKeys.agentIdentity.secretKey.slice();
    forgetKeys();
    agentShare = agent;
    post({ type: "done", publicKey: agent.core.publicKey, userShare: encodeKeyShare(user) });
  }

  async function shareFile(req: ShareFileRequest) {
    if (!agentShare || !profile) throw new Error("No agent share in this worker: run key generation first");
    const file = await encryptShareFile({ ...req.contents, profile, share: agentShare, ...(agentIdentity ? { identity: agentIdentity } : {}) }, req.passphrase);
    post({ type: "share-file", file });
  }

  return async function handle(req: DkgWorkerRequest) {
    try {
      if (req.type === "prepare") prepare();
      else if (req.type === "start-remote" || req.type === "start-browser") {
        pool = opts.makeRepetitionWorker ? browserRepetitionPool(opts.makeRepetitionWorker) : null;
        try {
          await (req.type === "start-remote" ? startRemote(req) : startBrowser(req));
        } finally {
          pool?.close();
          pool = null;
        }
      } else if (req.type === "share-file") await shareFile(req);
    } catch (err) {
      if (err instanceof CeremonyAborted) post({ type: "error", code: "aborted", message: `Key generation was aborted: ${JSON.stringify(err.blame)}` });
      else if (err instanceof AgentKeyMismatchError) post({ type: "error", code: "agent-key-mismatch", message: err.message });
      else if (err instanceof E2eError) post({ type: "error", code: "e2e", message: err.message });
      else if (err instanceof SidMismatchError) post({ type: "error", code: "sid-mismatch", message: err.message });
      else post({ type: "error", ...describeFailure(err) });
    }
  };
}
