/**
 * The mock passport provider: a MOCK of a proof-of-personhood service (Self's passport app and
 * verifier) that this machine cannot reach — the equivalent of Self's testnet "mock documents".
 * The page /identity/mock-passport plays the provider's app: a signed-in member picks mock document
 * data and confirms with a passkey assertion (lib/identity/member-assertion.ts), this server turns
 * it into a proof signed by the local provider key naming that member (`scanMockPassport`), and the
 * page posts it to the session's callback, where `mockPassportProvider.verify` checks the signature
 * and the session binding, and the session checks the member's assertion is fresh. Only offered for sessions on a local devnet, where the local
 * provider key is the registry's authorised provider.
 */
import { encodePacked, keccak256, sha256, stringToBytes, verifyMessage, type Address, type Hex } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { z } from "zod";
import { SESSION_TTL_MS } from "./model";
import { credentialsMeet, InvalidProofError, type Credentials, type Disclosures, type ProofProvider, type ProofRequest, type VerifiedProof } from "./proof-provider";
import { LOCAL_PROVIDER } from "./provider-key";

export const MOCK_PASSPORT_PROVIDER = "mock-passport";
const DOMAIN = "countersign-mock-passport:v1:";

export const MOCK_DOCUMENT_TYPES = { passport: 2, id_card: 1 } as const;

export const mockDocumentSchema = z.strictObject({
  type: z.enum(["passport", "id_card"]),
  nationality: z.string().regex(/^[A-Z]{3}$/, "ISO 3166-1 alpha-3 code"),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a date"),
  documentNumber: z.string().regex(/^[A-Za-z0-9]{5,20}$/, "5 to 20 letters or digits"),
  ofacListed: z.boolean().default(false),
});
export type MockDocument = z.infer<typeof mockDocumentSchema>;

const payloadSchema = z.strictObject({
  v: z.literal(1),
  sid: z.string(),
  kind: z.string(),
  scope: z.string(),
  nullifier: z.string().regex(/^\d{1,78}$/),
  strength: z.number().int().min(1).max(3),
  credentials: z.strictObject({ nationality: z.string(), olderThan: z.number().int().min(0).max(255), ofac: z.tuple([z.boolean(), z.boolean(), z.boolean()]) }),
  /** The member whose passkey assertion the scan verified (a user id). */
  member: z.uuid(),
  issuedAt: z.number().int(),
});
export type MockProofPayload = z.infer<typeof payloadSchema>;
export const mockProofSchema = z.strictObject({ provider: z.literal(MOCK_PASSPORT_PROVIDER), payload: payloadSchema, signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/) });
export type MockProof = z.infer<typeof mockProofSchema>;

/** Pure: the human's nullifier under `scope` — the same document always gives the same one. */
export function mockNullifier(scope: string, doc: Pick<MockDocument, "type" | "nationality" | "documentNumber">): bigint {
  return BigInt(keccak256(encodePacked(["string", "string", "string", "string", "string"], [DOMAIN, scope, doc.type, doc.nationality, doc.documentNumber.toUpperCase()])));
}

/** Pure: whole years between `dateOfBirth` and `now`. */
export function ageOn(dateOfBirth: string, now: Date): number {
  const [y, m, d] = dateOfBirth.split("-").map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age -= 1;
  return age;
}

/** Pure: what the document discloses for the session's request (nothing it did not ask for). */
export function mockCredentials(doc: MockDocument, asked: Disclosures, now: Date): Credentials {
  const age = ageOn(doc.dateOfBirth, now);
  const olderThan = asked.minimumAge && age >= asked.minimumAge ? asked.minimumAge : 0;
  const listed = asked.ofac ? doc.ofacListed : false;
  return { nationality: asked.nationality ? doc.nationality : "", olderThan, ofac: [listed, listed, listed] };
}

const message = (p: MockProofPayload) => DOMAIN + JSON.stringify(p);

/** Signs a mock proof for the session `req` with the local provider's account. */
export async function signMockProof(account: PrivateKeyAccount, req: Pick<ProofRequest, "sessionId" | "kind" | "scope" | "disclosures">, doc: MockDocument, member: string, now = new Date()): Promise<MockProof> {
  const payload: MockProofPayload = {
    v: 1,
    sid: req.sessionId,
    kind: req.kind,
    scope: req.scope,
    nullifier: mockNullifier(req.scope, doc).toString(),
    strength: MOCK_DOCUMENT_TYPES[doc.type],
    credentials: mockCredentials(doc, req.disclosures, now),
    member,
    issuedAt: now.getTime(),
  };
  return { provider: MOCK_PASSPORT_PROVIDER, payload, signature: await account.signMessage({ message: message(payload) }) };
}

/** The provider: `signer` resolves the local provider key's address (the one key whose proofs count). */
export function mockPassportProvider(signer: () => Promise<Address>, now: () => number = Date.now): ProofProvider {
  return {
    name: MOCK_PASSPORT_PROVIDER,
    displayName: "Mock passport (development)",
    keyName: LOCAL_PROVIDER,
    link(req) {
      const url = `${req.origin}/identity/mock-passport?token=${encodeURIComponent(req.token)}`;
      return { deepLink: url, qrData: url };
    },
    async verify(body, req): Promise<VerifiedProof> {
      const parsed = mockProofSchema.safeParse(body);
      if (!parsed.success) throw new InvalidProofError("Invalid proof: not a mock passport proof");
      const { payload, signature } = parsed.data;
      const ok = await verifyMessage({ address: await signer(), message: message(payload), signature: signature as Hex }).catch(() => false);
      if (!ok) throw new InvalidProofError("Invalid proof: bad signature");
      if (payload.sid !== req.sessionId || payload.kind !== req.kind || payload.scope !== req.scope) throw new InvalidProofError("Invalid proof: made for another session");
      if (payload.issuedAt > now() + 60_000 || now() - payload.issuedAt > SESSION_TTL_MS) throw new InvalidProofError("Invalid proof: expired");
      const unmet = credentialsMeet(req.disclosures, payload.credentials);
      if (unmet) throw new InvalidProofError(unmet);
      return { nullifier: BigInt(payload.nullifier), credentials: payload.credentials, strength: payload.strength as 1 | 2 | 3, attestedBy: payload.member };
    },
  };
}

/**
 * Pure: what a member's passkey assertion for a session commits to (the approval challenge's
 * subject hash, lib/approvals/binding.ts): the session and what it would do on chain.
 */
export function sessionSubjectHash(s: { id: string; kind: string; chainId: number; agentAddress: string | null; agentId: number | null }): string {
  return sha256(stringToBytes(`${DOMAIN}assertion\0${s.id}\0${s.kind}\0${s.chainId}\0${(s.agentAddress ?? "").toLowerCase()}\0${s.agentId ?? ""}`));
}
