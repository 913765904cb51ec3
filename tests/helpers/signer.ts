import { bytesToHex } from "@noble/hashes/utils.js";
import { POST as createSigner } from "@/app/api/v1/signers/route";
import { POST as dkgRound } from "@/app/api/v1/dkg/round/route";
import { POST as dkgFinalize } from "@/app/api/v1/dkg/finalize/route";
import { db } from "@/lib/db/client";
import { FAST_TEST, type KeyShare } from "@/lib/mpc";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { addPrime } from "@/lib/signing/prime-pool";
import { localDkgParty } from "@/lib/signing/local-party";
import { driveCeremony } from "@/lib/signing/driver";
import { call } from "./http";

const primes = fixtureSafePrimes(1024);
const auxPrimes = (o: number) => ({ p: primes[o]!, q: primes[o + 1]!, pHat: primes[o + 2]!, qHat: primes[o + 3]! });

/**
 * A signer created through the real API: DKG with the dashboard's two local parties (agent, user)
 * and the server, FAST_TEST profile with fixture primes, then finalized. Returns both client shares.
 */
export async function createSignerViaDkg(cookie: string, chainId = 31337, name = "Test signer") {
  process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
  for (const p of primes.slice(12, 16)) await addPrime(db(), 1024, p);
  const created = await call(createSigner, "POST", "/api/v1/signers", { cookie, body: { name, chainId, clientNonce: bytesToHex(crypto.getRandomValues(new Uint8Array(32))) } });
  if (created.status !== 201) throw new Error(`create signer: ${created.status} ${JSON.stringify(created.json)}`);
  const { dkg } = created.json;
  const agent = localDkgParty({ index: 0, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(0), profile: FAST_TEST });
  const user = localDkgParty({ index: 2, n: 3, threshold: 2, sid: dkg.sid, auxSid: dkg.auxSid, primes: auxPrimes(4), profile: FAST_TEST });
  const post = async (body: object) => {
    const r = await call(dkgRound, "POST", "/api/v1/dkg/round", { cookie, body: { ceremonyId: dkg.ceremonyId, ...body } });
    if (r.status !== 200) throw new Error(`dkg/round ${r.status}: ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const { outputs } = await driveCeremony<KeyShare>({
    transport: { submit: (b) => post(b), poll: ({ party, after }) => post({ party, seq: 0, messages: [], after }) },
    parties: [agent, user],
    initial: dkg.messages,
  });
  const fin = await call(dkgFinalize, "POST", "/api/v1/dkg/finalize", { cookie, body: { ceremonyId: dkg.ceremonyId, publicKey: outputs.get(0)!.core.publicKey } });
  if (fin.status !== 200) throw new Error(`finalize: ${fin.status} ${JSON.stringify(fin.json)}`);
  return { signer: fin.json.signer as { id: string; address: `0x${string}` }, apiKey: fin.json.apiKey.secret as string, agentShare: outputs.get(0)!, userShare: outputs.get(2)! };
}

/** Seeds an active rules document (version 1, default allow, UTC) for a signer, as if activated. */
export function activateRules(organizationId: string, signerId: string, rules: unknown[]) {
  return db().policyDocument.create({
    data: { organizationId, signerId, version: 1, status: "active", activatedAt: new Date(), rules: { version: 1, defaultAction: "allow", timeZone: "UTC", lists: {}, rules } as never },
  });
}
