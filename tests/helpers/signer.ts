import { bytesToHex } from "@noble/hashes/utils.js";
import { POST as createSigner } from "@/app/api/v1/signers/route";
import { POST as dkgInit } from "@/app/api/v1/dkg/init/route";
import { POST as dkgRound } from "@/app/api/v1/dkg/round/route";
import { POST as dkgFinalize } from "@/app/api/v1/dkg/finalize/route";
import { db } from "@/lib/db/client";
import { FAST_TEST, type KeyShare } from "@/lib/mpc";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { joinSigner, type JoinResult } from "@/lib/sdk/join";
import { agentForNew } from "@/lib/agents/registry";
import { addPrime } from "@/lib/signing/prime-pool";
import { PARTY } from "@/lib/signing/ceremonies";
import { issueSignerKey, storeServerShare } from "@/lib/signing/signers";
import { localDkgParty } from "@/lib/signing/local-party";
import { driveCeremony, type CeremonyTransport } from "@/lib/signing/driver";
import { assertAgentKey, e2eCodec, encodeInvitation, generateE2eKeyPair, generatePin, pinnedIdentities } from "@/lib/signing/e2e";
import { identityPublicKey, newIdentityKey } from "@/lib/signing/message-auth";
import { appFetch } from "./app-fetch";
import { dealtKeyShares } from "./dealt-shares";
import { call, ORIGIN } from "./http";

const primes = fixtureSafePrimes(1024);
export const auxPrimes = (o: number) => ({ p: primes[o]!, q: primes[o + 1]!, pHat: primes[o + 2]!, qHat: primes[o + 3]! });
const nonce = () => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));

/** `agentIdentity`: the agent's long-term Ed25519 secret key, registered on the signer at key generation (sessions must be signed by it). */
export type CreatedSigner = { signer: { id: string; address: `0x${string}` }; apiKey: string; agentShare: KeyShare; agentIdentity: Uint8Array; userShare: KeyShare };

/** The dashboard's /dkg/round as a driver transport for one session. */
export function dkgRoundTransport(cookie: string, ceremonyId: string): CeremonyTransport {
  const post = async (body: object) => {
    const r = await call(dkgRound, "POST", "/api/v1/dkg/round", { cookie, body: { ceremonyId, ...body } });
    if (r.status !== 200) throw new Error(`dkg/round ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json;
  };
  return { submit: (b) => post(b), poll: ({ party, after }) => post({ party, seq: 0, messages: [], after }), report: ({ party, blame }) => post({ party, seq: 0, messages: [], after: "0", abort: blame }) };
}

async function seedServerPrimes() {
  process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
  for (const p of primes.slice(12, 16)) await addPrime(db(), 1024, p);
}

/**
 * Starts a remote-mode signer as the wizard does: the browser's X25519 key and pin, POST /signers,
 * and the invitation string it shows. `userKeyToServer: false` leaves the key out of the request.
 */
export async function startRemoteSigner(cookie: string, opts: { chainId?: number; name?: string; userKeyToServer?: boolean } = {}) {
  await seedServerPrimes();
  const keys = generateE2eKeyPair();
  const pin = generatePin();
  const created = await call(createSigner, "POST", "/api/v1/signers", {
    cookie,
    body: { name: opts.name ?? "Test signer", chainId: opts.chainId ?? 31337, clientNonce: nonce(), ...(opts.userKeyToServer === false ? {} : { userKey: keys.publicKey, userIdentityKey: keys.identity.publicKey }) },
  });
  if (created.status !== 201) throw new Error(`create signer: ${created.status} ${JSON.stringify(created.json)}`);
  const { dkg, signer } = created.json;
  const invitation = encodeInvitation({ baseUrl: ORIGIN, ceremonyId: dkg.ceremonyId, token: dkg.invitation.token, userKey: keys.publicKey, pin });
  return { signerId: signer.id as string, dkg, keys, pin, invitation };
}

/**
 * The browser's side of remote key generation: waits (POST /dkg/init) until the agent joined,
 * checks the agent's key against the pin, then runs party 2 with p2p to the agent end-to-end sealed.
 */
export async function runUserParty(
  cookie: string,
  started: Awaited<ReturnType<typeof startRemoteSigner>>,
  opts: { pollMs?: number; timeoutMs?: number; transport?: (t: CeremonyTransport) => CeremonyTransport } = {},
) {
  const { dkg, keys, pin, signerId } = started;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let agent: { joined: boolean; agentKey: string | null; agentKeyMac: string | null; identityKey: string | null };
  let announced: Record<string, string> = {};
  for (;;) {
    const init = await call(dkgInit, "POST", "/api/v1/dkg/init", { cookie, body: { signerId } });
    if (init.status !== 200) throw new Error(`dkg/init ${init.status}: ${JSON.stringify(init.json)}`);
    agent = init.json.dkg.agent;
    announced = init.json.dkg.identities;
    if (agent.joined) break;
    if (Date.now() > deadline) throw new Error("the agent did not join");
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 10));
  }
  const agentKey = assertAgentKey({ pin, ceremonyId: dkg.ceremonyId, agentKey: agent.agentKey, agentKeyMac: agent.agentKeyMac, userKey: keys.publicKey });
  const identities = pinnedIdentities({ announced, own: { index: 2, identityKey: keys.identity.publicKey }, peer: { index: 0, e2eKey: agentKey, identityKey: agent.identityKey } });
  const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST, identities, identity: keys.identity });
  const { outputs } = await driveCeremony<KeyShare>({
    transport: (opts.transport ?? ((t) => t))(dkgRoundTransport(cookie, dkg.ceremonyId)),
    parties: [user],
    initial: dkg.messages,
    codec: e2eCodec({ ceremonyId: dkg.ceremonyId, privateKey: keys.privateKey, peerPublicKey: agentKey, peer: 0 }),
    pollIntervalMs: opts.pollMs ?? 10,
    maxPolls: 100_000,
  });
  return outputs.get(2)!;
}

/**
 * A signer created through the real API in the default three-party flow: the server's party, the
 * user's party (this "browser", party 2) and the agent joining with the SDK (`joinSigner`, party 0),
 * their p2p messages end-to-end encrypted; FAST_TEST profile with fixture primes. The agent confirms
 * (getting the API key), then the user finalizes, which activates the signer.
 */
export async function createSignerViaDkg(cookie: string, chainId = 31337, name = "Test signer"): Promise<CreatedSigner> {
  const started = await startRemoteSigner(cookie, { chainId, name });
  const agentRun: Promise<JoinResult> = joinSigner(started.invitation, { fetch: appFetch, primes: auxPrimes(0), pollIntervalMs: 10 });
  agentRun.catch(() => undefined);
  const [userShare, agent] = await Promise.all([runUserParty(cookie, started), agentRun]);
  const fin = await call(dkgFinalize, "POST", "/api/v1/dkg/finalize", { cookie, body: { ceremonyId: started.dkg.ceremonyId, publicKey: userShare.core.publicKey } });
  if (fin.status !== 200) throw new Error(`finalize: ${fin.status} ${JSON.stringify(fin.json)}`);
  if (fin.json.signer.status !== "active") throw new Error(`signer is ${fin.json.signer.status} after both confirmations`);
  return { signer: fin.json.signer, apiKey: agent.apiKey, agentShare: agent.share, agentIdentity: agent.identity, userShare };
}

/**
 * The one-browser flow (`agentParty: "browser"`): the dashboard's two local parties (agent, user)
 * and the server; finalize activates the signer and returns its API key.
 */
export async function createSignerViaBrowserDkg(cookie: string, chainId = 31337, name = "Test signer"): Promise<CreatedSigner> {
  await seedServerPrimes();
  const [a, u] = [newIdentityKey(), newIdentityKey()];
  const created = await call(createSigner, "POST", "/api/v1/signers", { cookie, body: { name, chainId, clientNonce: nonce(), agentParty: "browser", userIdentityKey: u.publicKey, agentIdentityKey: a.publicKey } });
  if (created.status !== 201) throw new Error(`create signer: ${created.status} ${JSON.stringify(created.json)}`);
  const { dkg } = created.json;
  const identities = { ...dkg.identities, "0": a.publicKey, "2": u.publicKey };
  const agent = localDkgParty({ index: 0, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(0), profile: FAST_TEST, identities, identity: a });
  const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST, identities, identity: u });
  const { outputs } = await driveCeremony<KeyShare>({ transport: dkgRoundTransport(cookie, dkg.ceremonyId), parties: [agent, user], initial: dkg.messages });
  const fin = await call(dkgFinalize, "POST", "/api/v1/dkg/finalize", { cookie, body: { ceremonyId: dkg.ceremonyId, publicKey: outputs.get(0)!.core.publicKey } });
  if (fin.status !== 200) throw new Error(`finalize: ${fin.status} ${JSON.stringify(fin.json)}`);
  return { signer: fin.json.signer as { id: string; address: `0x${string}` }, apiKey: fin.json.apiKey.secret as string, agentShare: outputs.get(0)!, agentIdentity: a.secretKey, userShare: outputs.get(2)! };
}

/**
 * An active signer as key generation leaves it (its new agent, the server's share sealed with its
 * public data, the agent's long-term identity registered, the signer key issued), from dealt shares
 * over the same fixture primes as createSignerViaDkg's parties instead of a key generation: for tests
 * whose subject comes after it (signing, policies, approvals, the gateway). Key generation itself is
 * tested through createSignerViaDkg (tests/signing/agent-join, dkg-http, authenticated-blame-http, …).
 */
export async function createDealtSigner(owner: { organizationId: string; user: { id: string } }, chainId = 31337, name = "Test signer"): Promise<CreatedSigner> {
  process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
  const shares = dealtKeyShares([0, 12, 4]);
  const identity = newIdentityKey();
  const { organizationId, user } = owner;
  return db().$transaction(async (tx) => {
    const { agent } = await agentForNew(tx, { organizationId, field: "body.agentId", create: { name, description: null, ownerId: user.id }, createdById: user.id });
    const signer = await tx.signer.create({ data: { organizationId, name, chainId, createdById: user.id, agentId: agent.id, status: "active" } });
    const { address } = await storeServerShare(tx, { signerId: signer.id, context: { identities: { [PARTY.agent]: identity.publicKey } } }, shares[PARTY.server]!);
    const { secret } = await issueSignerKey(tx, signer, user.id);
    return { signer: { id: signer.id, address }, apiKey: secret, agentShare: shares[PARTY.agent]!, agentIdentity: identity.secretKey, userShare: shares[PARTY.user]! };
  });
}

/** Seeds an active rules document (version 1, default allow, UTC) for a signer, as if activated. */
export function activateRules(organizationId: string, signerId: string, rules: unknown[]) {
  return db().policyDocument.create({
    data: { organizationId, signerId, version: 1, status: "active", activatedAt: new Date(), rules: { version: 1, defaultAction: "allow", timeZone: "UTC", lists: {}, rules } as never },
  });
}

/** The agent's registered long-term identity as a party identity ({ secretKey, publicKey }). */
export function agentIdentityOf(s: Pick<CreatedSigner, "agentIdentity">): { secretKey: Uint8Array; publicKey: string } {
  return { secretKey: s.agentIdentity, publicKey: identityPublicKey(s.agentIdentity) };
}
