/**
 * The Self protocol proof provider (issue #16). Self's passport app makes a zero-knowledge proof of
 * the person's document and posts it to the session's callback; this provider checks it the way
 * `@selfxyz/core` 1.0's SelfBackendVerifier does, and builds the app's deep link with
 * `@selfxyz/qrcode` (SelfAppBuilder, getUniversalLink; imported lazily, so an instance without Self
 * configured never loads it). Used for the one identity chain SELF_CHAIN_ID names once SELF_SCOPE
 * and SELF_RPC_URL are set (`selfConfigFrom`).
 *
 * Why not `@selfxyz/core` itself: its `@selfxyz/common` dependency needs `node-forge` from GitHub
 * (github:remicolin/forge) and `fs@0.0.1-security`, which the npm registry here does not serve, so it
 * does not install from npm alone; and its verifier fixes its own Celo RPC URLs. The checks below
 * follow SelfBackendVerifier 1.0.8 step by step (the public-signal indices and the revealed-data
 * layout are its constants): the proof's scope is poseidon(endpoint host, scope)
 * (`hashEndpointWithScope`, so the human's nullifier is the same for every session of this
 * deployment), the user context hash is ripemd160(sha256(userContextData)), the user identifier in
 * the context is the session (as a UUID), the circuit date is within a day; then Self's hub on Celo,
 * through SELF_RPC_URL: the attestation's registry knows the proof's Merkle root, and the hub's
 * disclose verifier accepts the Groth16 proof. A hub that cannot be reached is a
 * ProviderFailureError: the session turns failed with that reason.
 */
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createPublicClient, http, isAddress, parseAbi, zeroAddress, type Address, type Hex } from "viem";
import { z } from "zod";
import { credentialsMeet, InvalidProofError, ProviderFailureError, type Credentials, type Disclosures, type ProofProvider, type ProofRequest, type VerifiedProof } from "./proof-provider";

export const SELF_PROVIDER = "self";

/** Self's identity verification hubs (mainnet on Celo, staging with mock documents on Alfajores), as @selfxyz/core 1.0 names them. */
export const SELF_HUB = { mainnet: "0xe57F4773bd9c9d8b6Cd70431117d353298B9f5BF", staging: "0x68c931C9a534D37aa78094877F46fE46a49F1A51" } as const;

export type SelfConfig = {
  /** The identity chain whose sessions Self serves (its registry must authorise the `self` provider key). */
  chainId: number;
  scope: string;
  /** A JSON-RPC URL of the hub's chain (Celo, or Alfajores for the staging hub). */
  rpcUrl: string;
  hubAddress: Address;
  /** Self's staging hub and mock documents (SELF_MOCK_PASSPORT=true). */
  mockPassport: boolean;
  appName: string;
};

const envSchema = z.object({
  SELF_CHAIN_ID: z.coerce.number().int().positive(),
  SELF_SCOPE: z
    .string()
    .min(1)
    .max(30)
    .regex(/^[a-z0-9-]+$/, "lowercase letters, digits and dashes, at most 30 characters"),
  SELF_RPC_URL: z.url(),
  SELF_HUB_ADDRESS: z
    .string()
    .refine((v) => isAddress(v, { strict: false }), "an EVM address")
    .optional(),
  SELF_MOCK_PASSPORT: z.enum(["true", "false"]).default("false"),
  SELF_APP_NAME: z.string().min(1).max(64).default("Countersign"),
});

/** Pure: the Self configuration, or null while SELF_CHAIN_ID and SELF_SCOPE are unset. Throws naming a bad variable. */
export function selfConfigFrom(env: Record<string, unknown>): SelfConfig | null {
  if (!env.SELF_CHAIN_ID && !env.SELF_SCOPE) return null;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Self proof provider: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = parsed.data;
  const mock = e.SELF_MOCK_PASSPORT === "true";
  return {
    chainId: e.SELF_CHAIN_ID,
    scope: e.SELF_SCOPE,
    rpcUrl: e.SELF_RPC_URL,
    hubAddress: (e.SELF_HUB_ADDRESS ?? (mock ? SELF_HUB.staging : SELF_HUB.mainnet)) as Address,
    mockPassport: mock,
    appName: e.SELF_APP_NAME,
  };
}

/** Pure: the UUID (version 4 form) Self's app carries as `userId` for a session id (16 bytes of hex). */
export function sessionUserId(sessionId: string): string {
  const h = sessionId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(h)) throw new Error("Session id is not 16 bytes of hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// SelfBackendVerifier 1.0.8's constants: public-signal indices and the revealed-data layout per attestation.
const SIGNALS = {
  1: { revealed: 0, revealedBytes: [31, 31, 31], nullifier: 7, attestationId: 8, merkleRoot: 9, currentDate: 10, scope: 19, userIdentifier: 20 },
  2: { revealed: 0, revealedBytes: [31, 31, 31, 1], nullifier: 8, attestationId: 9, merkleRoot: 10, currentDate: 11, scope: 19, userIdentifier: 20 },
} as const;
const REVEALED = {
  1: { nationality: [54, 56], olderThan: [88, 89], ofac: [90, 92] },
  2: { nationality: [45, 47], olderThan: [90, 91], ofac: [92, 93] },
} as const;

const field = z.string().regex(/^\d{1,78}$/, "a decimal field element");
const point = z.tuple([field, field]);
/** The body Self's app posts: the Groth16 proof, its public signals, and the user context (hex). */
export const selfProofSchema = z.object({
  attestationId: z.union([z.literal(1), z.literal(2)]),
  proof: z.object({ a: point, b: z.tuple([point, point]), c: point }),
  publicSignals: z.array(field).length(21),
  userContextData: z.string().regex(/^(0x)?([0-9a-fA-F]{2}){64,512}$/, "hex: 32 bytes chain id, 32 bytes user identifier, user-defined data"),
});
export type SelfProof = z.infer<typeof selfProofSchema>;

/** Pure: Self's scope hash, poseidon(poseidon(endpoint host in 31-byte chunks), scope) (@selfxyz/common `hashEndpointWithScope`). */
export async function hashEndpointWithScope(endpoint: string, scope: string): Promise<bigint> {
  const poseidon = await import("poseidon-lite");
  const host = endpoint.replace(/^https?:\/\//, "").split("/")[0]!.split("?")[0]!;
  const chunks: bigint[] = [];
  for (let i = 0; i < host.length; i += 31) chunks.push(asciiToBigInt(host.slice(i, i + 31)));
  if (chunks.length === 0 || chunks.length > 16) throw new Error("Endpoint host must be 1 to 496 characters");
  const hashes = [poseidon.poseidon1, poseidon.poseidon2, poseidon.poseidon3, poseidon.poseidon4, poseidon.poseidon5, poseidon.poseidon6, poseidon.poseidon7, poseidon.poseidon8, poseidon.poseidon9, poseidon.poseidon10, poseidon.poseidon11, poseidon.poseidon12, poseidon.poseidon13, poseidon.poseidon14, poseidon.poseidon15, poseidon.poseidon16];
  return poseidon.poseidon2([hashes[chunks.length - 1]!(chunks), asciiToBigInt(scope)]);
}

function asciiToBigInt(s: string): bigint {
  let out = 0n;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c > 127) throw new Error("Only ASCII");
    out = (out << 8n) | BigInt(c);
  }
  return out;
}

/** Pure: ripemd160(sha256(userContextData)) as a number, what the circuit's user identifier signal carries. */
export function userContextHash(userContextData: string): bigint {
  const bytes = Buffer.from(userContextData.replace(/^0x/, ""), "hex");
  return BigInt(`0x${Buffer.from(ripemd160(sha256(bytes))).toString("hex")}`);
}

/** Pure: the session's user identifier in a user context (bytes 32..64), as a UUID. */
export function userIdOfContext(userContextData: string): string {
  const h = userContextData.replace(/^0x/, "").toLowerCase().slice(64, 128).slice(-32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** What a Self proof discloses (the revealed data packed into its first public signals). */
export type SelfDisclosed = { nationality: string; olderThan: string; ofac: boolean[] };

/** Pure: unpacks the revealed data (little-endian bytes of 31 per signal) of attestation 1 or 2. */
export function selfDisclosed(attestationId: 1 | 2, publicSignals: readonly string[]): SelfDisclosed {
  const s = SIGNALS[attestationId];
  const bytes: number[] = [];
  s.revealedBytes.forEach((count, i) => {
    let v = BigInt(publicSignals[s.revealed + i]!);
    for (let j = 0; j < count; j++) {
      bytes.push(Number(v & 0xffn));
      v >>= 8n;
    }
  });
  const r = REVEALED[attestationId];
  const text = ([a, b]: readonly [number, number]) => Buffer.from(bytes.slice(a, b + 1)).toString("utf8");
  return { nationality: text(r.nationality), olderThan: text(r.olderThan), ofac: bytes.slice(r.ofac[0], r.ofac[1] + 1).map(Boolean) };
}

/**
 * Pure: the registry's credential fields from a Self disclosure, only what the session asked for.
 * Self's OFAC bits say the check was made and passed (not on the list); the registry's flags say
 * "listed", so a requested check that did not pass is a listed flag.
 */
export function selfCredentials(d: SelfDisclosed, asked: Disclosures): Credentials {
  const age = Number.parseInt(d.olderThan, 10);
  const olderThan = asked.minimumAge && Number.isFinite(age) && age >= asked.minimumAge ? asked.minimumAge : 0;
  const nationality = asked.nationality ? d.nationality.replace(/[^A-Z]/g, "").slice(0, 3) : "";
  const listed = (i: number) => (asked.ofac ? !d.ofac[i] : false);
  return { nationality, olderThan, ofac: [listed(0), listed(1), listed(2)] };
}

/** Pure: attestation 1 (passport) is Standard, 2 (EU ID card) Basic, as the mock passport grades them. */
export function selfStrength(attestationId: 1 | 2): 1 | 2 {
  return attestationId === 1 ? 2 : 1;
}

/** Pure: the circuit's date (YYMMDD digits from the public signals) is within a day of `now`. */
function dateFresh(attestationId: 1 | 2, signals: readonly string[], now: number): boolean {
  const i = SIGNALS[attestationId].currentDate;
  const d = (k: number) => signals[i + k]!;
  const date = Date.UTC(Number(`20${d(0)}${d(1)}`), Number(`${d(2)}${d(3)}`) - 1, Number(`${d(4)}${d(5)}`));
  return Math.abs(now - date) <= 36 * 3600_000;
}

/** The checks that need no network, in SelfBackendVerifier's order. */
export async function precheckSelfProof(config: SelfConfig, body: unknown, req: Pick<ProofRequest, "sessionId" | "callbackUrl">, now = Date.now()): Promise<SelfProof> {
  const parsed = selfProofSchema.safeParse(body);
  if (!parsed.success) throw new InvalidProofError(`Invalid proof: not a Self proof (${parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")})`);
  const proof = parsed.data;
  const s = SIGNALS[proof.attestationId];
  if (userIdOfContext(proof.userContextData) !== sessionUserId(req.sessionId)) throw new InvalidProofError("Invalid proof: made for another session");
  if (BigInt(proof.publicSignals[s.userIdentifier]!) !== userContextHash(proof.userContextData)) throw new InvalidProofError("Invalid proof: the user context is not the one the proof commits to");
  if (BigInt(proof.publicSignals[s.scope]!) !== (await hashEndpointWithScope(req.callbackUrl, config.scope))) throw new InvalidProofError("Invalid proof: made for another scope");
  if (proof.publicSignals[s.attestationId] !== String(proof.attestationId)) throw new InvalidProofError("Invalid proof: attestation id mismatch");
  if (!dateFresh(proof.attestationId, proof.publicSignals, now)) throw new InvalidProofError("Invalid proof: the circuit date is not today");
  return proof;
}

const hubAbi = parseAbi(["function registry(bytes32 attestationId) view returns (address)", "function discloseVerifier(bytes32 attestationId) view returns (address)"]);
const registryAbi = parseAbi(["function checkIdentityCommitmentRoot(uint256 root) view returns (bool)"]);
const verifierAbi = parseAbi(["function verifyProof(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[21] pubSignals) view returns (bool)"]);

/** Self's hub: the root is known to the attestation's registry, and the disclose verifier accepts the proof. */
async function checkOnHub(config: SelfConfig, proof: SelfProof): Promise<void> {
  const client = createPublicClient({ transport: http(config.rpcUrl, { timeout: 15_000, retryCount: 0 }) });
  const id = `0x${proof.attestationId.toString(16).padStart(64, "0")}` as Hex;
  const s = SIGNALS[proof.attestationId];
  let rootKnown: boolean;
  let valid: boolean;
  try {
    const registry = await client.readContract({ address: config.hubAddress, abi: hubAbi, functionName: "registry", args: [id] });
    if (registry === zeroAddress) throw new Error("the hub has no registry for this attestation");
    rootKnown = await client.readContract({ address: registry, abi: registryAbi, functionName: "checkIdentityCommitmentRoot", args: [BigInt(proof.publicSignals[s.merkleRoot]!)] });
    const verifier = await client.readContract({ address: config.hubAddress, abi: hubAbi, functionName: "discloseVerifier", args: [id] });
    if (verifier === zeroAddress) throw new Error("the hub has no verifier for this attestation");
    const p = proof.proof;
    const big = (x: string) => BigInt(x);
    valid = await client.readContract({
      address: verifier,
      abi: verifierAbi,
      functionName: "verifyProof",
      // Groth16 on the EVM takes each G2 coordinate pair reversed (as SelfBackendVerifier passes them).
      args: [
        [big(p.a[0]), big(p.a[1])],
        [
          [big(p.b[0][1]), big(p.b[0][0])],
          [big(p.b[1][1]), big(p.b[1][0])],
        ],
        [big(p.c[0]), big(p.c[1])],
        proof.publicSignals.map(big) as never,
      ],
    });
  } catch (err) {
    const host = new URL(config.rpcUrl).host;
    const detail = err instanceof Error ? (err.message.split("\n")[0] ?? err.name) : String(err);
    throw new ProviderFailureError(`Self verifier unavailable: the hub ${config.hubAddress} could not be read through ${host} (${detail})`);
  }
  if (!rootKnown) throw new InvalidProofError("Invalid proof: Self's registry does not know its identity root");
  if (!valid) throw new InvalidProofError("Invalid proof: Self's verifier rejected the proof");
}

export function selfProvider(config: SelfConfig, now: () => number = Date.now): ProofProvider {
  return {
    name: SELF_PROVIDER,
    displayName: config.mockPassport ? "Self (staging, mock documents)" : "Self",
    keyName: SELF_PROVIDER,
    async link(req) {
      const { SelfAppBuilder, getUniversalLink } = await import("@selfxyz/qrcode");
      const app = new SelfAppBuilder({
        appName: config.appName,
        scope: config.scope,
        endpoint: req.callbackUrl,
        endpointType: config.mockPassport ? "staging_https" : "https",
        userId: sessionUserId(req.sessionId),
        userIdType: "uuid",
        devMode: config.mockPassport,
        disclosures: {
          ...(req.disclosures.minimumAge ? { minimumAge: req.disclosures.minimumAge } : {}),
          ...(req.disclosures.ofac ? { ofac: true } : {}),
          ...(req.disclosures.nationality ? { nationality: true } : {}),
          ...(req.disclosures.name ? { name: true } : {}),
        },
      }).build();
      const deepLink = getUniversalLink(app);
      return { deepLink, qrData: deepLink };
    },
    async verify(body, req): Promise<VerifiedProof> {
      const proof = await precheckSelfProof(config, body, req, now());
      const credentials = selfCredentials(selfDisclosed(proof.attestationId, proof.publicSignals), req.disclosures);
      const unmet = credentialsMeet(req.disclosures, credentials);
      if (unmet) throw new InvalidProofError(unmet);
      await checkOnHub(config, proof);
      return { nullifier: BigInt(proof.publicSignals[SIGNALS[proof.attestationId].nullifier]!), credentials, strength: selfStrength(proof.attestationId) };
    },
  };
}
