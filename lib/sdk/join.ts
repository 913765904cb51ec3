/**
 * The agent joins a signer's key generation (issue #10): `CountersignAgent.join(invitation)` runs the
 * agent's party (0) here, on the agent's machine, against the server's party (1) and the user's
 * browser (2). The browser never sees this share; the server relays what the agent and the browser
 * send each other only as end-to-end ciphertext.
 *
 * 1. Decode the invitation (`cs-join:v1:…`, pasted from the wizard): server URL, ceremony id,
 *    one-time token, the browser's X25519 key `k` and the pin `p` (which never reaches the server).
 * 2. Make an ephemeral X25519 key, announce it with `HMAC(pin, …)` via POST /dkg/join (one-time),
 *    check the server hands back the same user key and sids it can re-derive from the nonces.
 * 3. Generate 4 safe primes of the profile's size unless given (OpenSSL, a search per core racing
 *    until the fourth is in, started before the join when the invitation names the profile);
 *    re-check them.
 * 4. Run keygen + aux through /dkg/agent/round with the `csj_` token, p2p with the browser sealed:
 *    keygen while the primes are generated, the aux info once they are ready.
 * 5. Confirm the public key (/dkg/agent/confirm, retried while the server finishes): the signer's
 *    API key comes back once, to the agent only.
 */
import { fileURLToPath } from "node:url";
import { FAST_TEST, PRODUCTION, type AuxPrimes, type KeyShare, type Message, type SecurityProfile } from "@/lib/mpc";
import { ensureBackendSelected } from "@/lib/mpc/bigint";
import { profileNamed } from "@/lib/mpc/protocol";
import { verifySafePrime } from "@/lib/mpc/primes";
import { driveCeremony, type CeremonyResponse, type CeremonyTransport } from "@/lib/signing/driver";
import { decodeInvitation, e2eCodec, e2eKeyOfIdentity, generateE2eKeyPair, joinMac } from "@/lib/signing/e2e";
import { localDkgPartyParallel } from "@/lib/signing/local-party";
import { dkgSids } from "@/lib/signing/participants";
import { CountersignApiError } from "./errors";
import type { ProfileName } from "./share-file";

const AGENT = 0;
const USER = 2;

export type JoinStage = "joining" | "joined" | "primes" | "keygen" | "confirming" | "done";
export type JoinProgress =
  | { stage: "joining"; baseUrl: string; ceremonyId: string }
  | { stage: "joined"; signerId: string; signerName: string; chainId: number; profile: ProfileName }
  | { stage: "primes"; done: number; total: number; bits: number }
  | { stage: "keygen"; protocol: string; round: number }
  | { stage: "confirming" }
  | { stage: "done"; address: string };

export type JoinOptions = {
  fetch?: typeof fetch;
  /** The agent's four aux primes (p, q, p̂, q̂); generated here with OpenSSL when left out (Node only). */
  primes?: AuxPrimes | readonly bigint[];
  /** Expected profile; the server's must match (default: whatever the server runs, production or fast-test). */
  profile?: SecurityProfile;
  onProgress?: (e: JoinProgress) => void;
  /** Delay between polls while waiting for the other parties (default 250 ms). */
  pollIntervalMs?: number;
  /** How long to keep retrying the confirmation while the server's party finishes (default 120 s). */
  confirmTimeoutMs?: number;
};

/** `identity`: the agent's long-term Ed25519 secret key (it signed the key generation; the signer registered it): keep it with the share. */
export type JoinResult = { share: KeyShare; identity: Uint8Array; apiKey: string; signerId: string; address: string; chainId: number; baseUrl: string; profile: ProfileName };

/** The server's answer disagrees with the invitation or with what the agent can recompute. */
export class JoinRefusedError extends Error {
  override name = "JoinRefusedError";
}

/**
 * The server confirmed the key, but its answer — the signer's API key, handed out once — was lost on
 * a failed connection. The agent's share is attached; a new API key comes from the dashboard
 * (Regenerate key).
 */
export class ConfirmationLostError extends Error {
  override name = "ConfirmationLostError";
  constructor(readonly share: KeyShare, readonly signerId: string, readonly identity: Uint8Array) {
    super("The server confirmed the key but its answer, with the signer's API key, was lost on a failed connection: regenerate the signer's API key in the dashboard (the agent's share and identity are in this error's `share` and `identity`)");
  }
}

type Joined = {
  ceremonyId: string;
  signerId: string;
  signerName: string;
  chainId: number;
  profile: string;
  sid: string;
  auxSid: string;
  serverNonce: string;
  clientNonce: string;
  userKey: string | null;
  identities?: Record<string, string>;
  messages: { seq: string; message: Message }[];
  agentToken: string;
};


function primeList(p: AuxPrimes | readonly bigint[]): bigint[] {
  return Array.isArray(p) ? [...(p as readonly bigint[])] : [(p as AuxPrimes).p, (p as AuxPrimes).q, (p as AuxPrimes).pHat, (p as AuxPrimes).qHat];
}

/**
 * Four safe primes of `bits` bits with OpenSSL, every core's search racing until the fourth is in
 * (Node only: loaded on demand). `signal` stops the searches when the join fails.
 */
async function generatePrimes(bits: number, signal: AbortSignal, onDone: (done: number) => void): Promise<bigint[]> {
  const { searchSafePrimesNative } = await import("@/lib/mpc/primes-native");
  return searchSafePrimesNative(4, bits, { script: fileURLToPath(new URL("../mpc/safe-prime-search.mjs", import.meta.url)), signal, onPrime: onDone });
}

/** A party never trusts where its primes came from: safe primes of the profile's size, all distinct. */
function checkPrimes(primes: bigint[], bits: number): AuxPrimes {
  if (primes.length !== 4) throw new JoinRefusedError("Key generation needs four primes (p, q, p̂, q̂)");
  if (new Set(primes.map(String)).size !== 4) throw new JoinRefusedError("The four primes must be distinct");
  for (const p of primes) if (!verifySafePrime(p, bits)) throw new JoinRefusedError(`Every prime must be a safe prime of ${bits} bits (the profile's size)`);
  const [p, q, pHat, qHat] = primes as [bigint, bigint, bigint, bigint];
  return { p, q, pHat, qHat };
}

export async function joinSigner(invitation: string, opts: JoinOptions = {}): Promise<JoinResult> {
  const inv = decodeInvitation(invitation);
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const progress = opts.onProgress ?? (() => undefined);
  // 3 (first). The primes are the agent's slowest step and need only the profile: when the invitation
  // names it, they start now, beside the start-up and the join; they are checked once they are in.
  const search = new AbortController();
  let early: Promise<AuxPrimes> | null = null;
  const startPrimes = (profile: SecurityProfile): Promise<AuxPrimes> => {
    progress({ stage: "primes", done: 0, total: 4, bits: profile.primeBits });
    const list = generatePrimes(profile.primeBits, search.signal, (done) => progress({ stage: "primes", done, total: 4, bits: profile.primeBits }));
    const checked = list.then((l) => checkPrimes(l, profile.primeBits));
    checked.catch(() => undefined); // observed by the party once keygen is done; a join failing earlier must not leave it unhandled
    return checked;
  };
  const invited = inv.profile ? profileNamed(inv.profile) : null;
  if (invited && !opts.primes && (!opts.profile || opts.profile.name === invited.name)) early = startPrimes(invited);

  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const send = () =>
      fetchFn(new URL(path, inv.baseUrl), {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    let res: Response;
    try {
      res = await send();
    } catch (err) {
      // The aux rounds block this event loop for seconds, long enough for the server to close an idle
      // keep-alive socket unnoticed ("fetch failed" on the next request). Agent rounds are idempotent
      // (same seq and body → the stored answer), so one retry on a fresh connection is safe; the
      // one-time join itself (no token yet) is not retried.
      if (!token || !(err instanceof TypeError)) throw err;
      res = await send();
    }
    const json = (await res.json().catch(() => ({}))) as T;
    if (!res.ok) throw new CountersignApiError(res.status, json as CountersignApiError["body"]);
    return json;
  };

  // 1–2. Join with a fresh X25519 key, authenticated to the browser by the pin.
  progress({ stage: "joining", baseUrl: inv.baseUrl, ceremonyId: inv.ceremonyId });
  const keys = generateE2eKeyPair();
  try {
    ensureBackendSelected();
    const joined = await post<Joined>("/api/v1/dkg/join", { token: inv.token, agentKey: keys.publicKey, agentKeyMac: joinMac(inv.pin, inv.ceremonyId, keys.publicKey, inv.userKey), identityKey: keys.identity.publicKey });
    if (joined.ceremonyId !== inv.ceremonyId) throw new JoinRefusedError("The server answered for another ceremony than the invitation's");
    if (joined.userKey !== null && joined.userKey !== inv.userKey) {
      throw new JoinRefusedError("The server reports another key for the user's browser than the invitation carries: refusing (it could read the messages meant for the browser)");
    }
    // Authenticated blame: every party signs its messages. The user's identity is the one behind the
    // X25519 key of the invitation (so the server cannot swap it), ours is the one we just sent.
    const identities = joined.identities ?? {};
    if (identities[AGENT] !== keys.identity.publicKey || !identities[1] || !identities[USER] || e2eKeyOfIdentity(identities[USER]!) !== inv.userKey) {
      throw new JoinRefusedError("The server did not bind this key generation to the identities of the agent and of the invitation's browser: refusing to run it");
    }
    if (joined.profile !== FAST_TEST.name && joined.profile !== PRODUCTION.name) throw new JoinRefusedError(`The server runs an unknown profile ${JSON.stringify(joined.profile)}`);
    const profile = profileNamed(joined.profile);
    if (opts.profile && opts.profile.name !== profile.name) throw new JoinRefusedError(`The server runs profile ${profile.name}, not ${opts.profile.name}`);
    if (invited && invited.name !== profile.name) throw new JoinRefusedError(`The server runs profile ${profile.name}, but the invitation was made for ${invited.name}`);
    // Session ids the agent can check (spec §8.2): both must follow from the nonces.
    if (![joined.serverNonce, joined.clientNonce].every((n) => /^([0-9a-f]{2})+$/.test(n))) throw new JoinRefusedError("The server sent a nonce that is not hex");
    const expected = dkgSids({ keyId: joined.signerId, serverNonce: joined.serverNonce, clientNonce: joined.clientNonce });
    if (expected.sid !== joined.sid || expected.auxSid !== joined.auxSid) {
      throw new JoinRefusedError("The server's session ids do not follow from its nonces: refusing to run key generation");
    }
    progress({ stage: "joined", signerId: joined.signerId, signerName: joined.signerName, chainId: joined.chainId, profile: profile.name });

    // 3. Primes: generated here (or given), and re-checked either way. Keygen does not need them, so
    // it runs while they are generated; the aux info waits for them.
    let aux: AuxPrimes | Promise<AuxPrimes>;
    if (opts.primes) aux = checkPrimes(primeList(opts.primes), profile.primeBits); // given: refused before any round
    else aux = early ?? startPrimes(profile);

    // 4. The rounds, point-to-point with the browser end-to-end encrypted.
    const token = joined.agentToken;
    const transport: CeremonyTransport = {
      submit: ({ seq, messages, after }) => post<CeremonyResponse>("/api/v1/dkg/agent/round", { seq, messages, after }, token),
      poll: ({ after }) => post<CeremonyResponse>("/api/v1/dkg/agent/round", { seq: 0, messages: [], after }, token),
      report: ({ blame }) => post("/api/v1/dkg/agent/round", { seq: 0, messages: [], after: "0", abort: blame }, token),
    };
    // The aux info's repetitions on worker threads, as the server does: both cores while the others wait.
    const { repetitionThreadPool } = await import("@/lib/signing/repetition-threads");
    const pool = repetitionThreadPool(fileURLToPath(new URL("../signing/repetition-thread.mjs", import.meta.url)));
    const party = localDkgPartyParallel({ index: AGENT, n: 3, threshold: 2, sid: joined.sid, auxSid: joined.auxSid, primes: aux, profile, identities, identity: keys.identity }, pool.run);
    const { outputs } = await driveCeremony<KeyShare>({
      transport,
      parties: [party],
      initial: joined.messages,
      codec: e2eCodec({ ceremonyId: joined.ceremonyId, privateKey: keys.privateKey, peerPublicKey: inv.userKey, peer: USER }),
      onProgress: (e) => progress({ stage: "keygen", protocol: e.protocol, round: e.round }),
      pollIntervalMs: opts.pollIntervalMs ?? 250,
      // The browser may still be generating its primes: wait up to ~25 minutes (the ceremony's TTL is 30).
      maxPolls: Math.ceil(25 * 60_000 / (opts.pollIntervalMs ?? 250)),
    }).finally(() => pool.close());
    const share = outputs.get(AGENT);
    if (!share) throw new Error("Key generation ended without the agent's share");

    // 5. Confirm; the server may still be finishing its own party (409 → retry).
    progress({ stage: "confirming" });
    const deadline = Date.now() + (opts.confirmTimeoutMs ?? 120_000);
    let delay = 100;
    for (;;) {
      try {
        const confirmed = await post<{ signer: { id: string; address: string | null; chainId: number }; apiKey: { secret: string } }>("/api/v1/dkg/agent/confirm", { publicKey: share.core.publicKey }, token);
        const address = confirmed.signer.address;
        if (!address) throw new Error("The server confirmed the key but reports no address");
        progress({ stage: "done", address });
        return { share, identity: keys.identity.secretKey.slice(), apiKey: confirmed.apiKey.secret, signerId: joined.signerId, address, chainId: joined.chainId, baseUrl: inv.baseUrl, profile: profile.name };
      } catch (err) {
        const retry = err instanceof CountersignApiError && err.status === 409 && /not finished/.test(err.message) && Date.now() < deadline;
        if (err instanceof CountersignApiError && err.status === 409 && /already confirmed/.test(err.message)) {
          // Only reachable when a confirmation was answered on a connection that failed (post retries once).
          throw new ConfirmationLostError(share, joined.signerId, keys.identity.secretKey.slice());
        }
        if (!retry) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(2000, delay * 2);
      }
    }
  } finally {
    search.abort(new Error("The join ended before the safe primes were found"));
    keys.privateKey.fill(0);
    keys.identity.secretKey.fill(0);
  }
}
