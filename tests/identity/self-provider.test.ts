/**
 * The Self protocol proof provider up to the network boundary: configuration, the deep link
 * (@selfxyz/qrcode), the proof's shape and bindings (session, user context, scope, date), the
 * disclosure mapping into the registry's credential fields, and a hub that cannot be reached (an
 * unreachable configured RPC URL) → ProviderFailureError with the reason, which fails the session.
 */
import { afterEach, describe, expect, it } from "vitest";
import { syncNetworks } from "@/lib/chain/network-registry";
import { resetEnvCache } from "@/lib/config/env";
import { db } from "@/lib/db/client";
import { recordIdentityRegistry } from "@/lib/identity/registry";
import { createIdentifySession, sessionCallback, sessionProofRequest } from "@/lib/identity/sessions";
import { useTestDatabase } from "../helpers/db";
import { InvalidProofError, ProviderFailureError, type ProofRequest } from "@/lib/identity/proof-provider";
import {
  hashEndpointWithScope,
  selfConfigFrom,
  selfCredentials,
  selfDisclosed,
  selfProvider,
  sessionUserId,
  userContextHash,
  SELF_HUB,
  type SelfConfig,
} from "@/lib/identity/self-provider";

const SID = "0123456789abcdef0123456789abcdef";
const config: SelfConfig = { chainId: 11142220, scope: "countersign-agent-id", rpcUrl: "http://127.0.0.1:9", hubAddress: SELF_HUB.staging, mockPassport: true, appName: "Countersign" };
const request: ProofRequest = {
  sessionId: SID,
  kind: "register",
  chainId: 11142220,
  scope: "countersign-agent-id:11142220",
  disclosures: { minimumAge: 18, ofac: true, nationality: true },
  token: "enc_token",
  callbackUrl: "https://cs.example.org/api/agent/register/callback?token=enc_token",
  origin: "https://cs.example.org",
};

/** Packs revealed bytes little-endian, 31 per public signal (the circuit's layout). */
function pack(bytes: number[], counts: number[]): string[] {
  const out: string[] = [];
  let k = 0;
  for (const count of counts) {
    let v = 0n;
    for (let j = 0; j < count; j++) v |= BigInt(bytes[k + j] ?? 0) << BigInt(8 * j);
    k += count;
    out.push(v.toString());
  }
  return out;
}

/** A passport proof (attestation 1) whose public signals carry what the checks read; its Groth16 points are placeholders. */
async function passportProof(opts: { userId?: string; endpoint?: string; scope?: string; nationality?: string; olderThan?: string; ofac?: number[]; date?: Date; userDefined?: string } = {}) {
  const bytes = new Array<number>(93).fill(0);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  put(54, opts.nationality ?? "GBR");
  put(88, opts.olderThan ?? "18");
  (opts.ofac ?? [1, 1, 1]).forEach((b, i) => (bytes[90 + i] = b));
  const uid = (opts.userId ?? sessionUserId(SID)).replace(/-/g, "");
  const userContextData = `${(44787).toString(16).padStart(64, "0")}${uid.padStart(64, "0")}${opts.userDefined ?? ""}`;
  const d = opts.date ?? new Date();
  const yymmdd = `${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
  const signals = new Array<string>(21).fill("0");
  pack(bytes, [31, 31, 31]).forEach((v, i) => (signals[i] = v));
  signals[7] = "4242424242";
  signals[8] = "1";
  signals[9] = "77";
  [...yymmdd].forEach((c, i) => (signals[10 + i] = c));
  signals[19] = (await hashEndpointWithScope(opts.endpoint ?? request.callbackUrl, opts.scope ?? config.scope)).toString();
  signals[20] = userContextHash(userContextData).toString();
  return { attestationId: 1, proof: { a: ["1", "2"], b: [["3", "4"], ["5", "6"]], c: ["7", "8"] }, publicSignals: signals, userContextData };
}

async function refusal(body: unknown, c: SelfConfig = config): Promise<Error> {
  try {
    await selfProvider(c).verify(body, request);
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a refusal");
}

describe("Self provider configuration", () => {
  it("is off until SELF_CHAIN_ID / SELF_SCOPE are set, then needs an RPC URL; the staging hub with mock documents", () => {
    expect(selfConfigFrom({})).toBeNull();
    expect(() => selfConfigFrom({ SELF_CHAIN_ID: "42220", SELF_SCOPE: "countersign" })).toThrow(/SELF_RPC_URL/);
    expect(() => selfConfigFrom({ SELF_CHAIN_ID: "42220", SELF_SCOPE: "Not A Scope", SELF_RPC_URL: "https://forno.example" })).toThrow(/SELF_SCOPE/);
    expect(selfConfigFrom({ SELF_CHAIN_ID: "42220", SELF_SCOPE: "countersign", SELF_RPC_URL: "https://forno.example" })).toEqual({
      chainId: 42220,
      scope: "countersign",
      rpcUrl: "https://forno.example",
      hubAddress: SELF_HUB.mainnet,
      mockPassport: false,
      appName: "Countersign",
    });
    expect(selfConfigFrom({ SELF_CHAIN_ID: "11142220", SELF_SCOPE: "countersign", SELF_RPC_URL: "https://alfajores.example", SELF_MOCK_PASSPORT: "true" })?.hubAddress).toBe(SELF_HUB.staging);
  });
});

describe("Self deep link (@selfxyz/qrcode)", () => {
  it("opens Self's app with the scope, the session's callback as endpoint, the session as userId and the disclosures", async () => {
    const { deepLink, qrData } = await selfProvider(config).link(request);
    expect(qrData).toBe(deepLink);
    const url = new URL(deepLink);
    expect(url.origin).toBe("https://redirect.self.xyz");
    const app = JSON.parse(url.searchParams.get("selfApp")!);
    expect(app).toMatchObject({
      appName: "Countersign",
      scope: "countersign-agent-id",
      endpoint: request.callbackUrl,
      endpointType: "staging_https",
      userId: sessionUserId(SID),
      userIdType: "uuid",
      disclosures: { minimumAge: 18, ofac: true, nationality: true },
    });
    expect(sessionUserId(SID)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("Self proof checks before the network", () => {
  it("refuses a body that is not a Self proof, naming the field", async () => {
    const e1 = await refusal({ hello: "world" });
    expect(e1).toBeInstanceOf(InvalidProofError);
    expect(e1.message).toMatch(/^Invalid proof: not a Self proof \(attestationId: /);
    const good = await passportProof();
    const e2 = await refusal({ ...good, publicSignals: good.publicSignals.slice(0, 20) });
    expect(e2.message).toContain("publicSignals");
    const e3 = await refusal({ ...good, proof: { ...good.proof, a: ["1", "0x2"] } });
    expect(e3.message).toContain("proof.a.1");
  });

  it("binds the proof to the session, its user context, this deployment's scope and today", async () => {
    expect((await refusal(await passportProof({ userId: sessionUserId("f".repeat(32)) }))).message).toBe("Invalid proof: made for another session");
    const tampered = await passportProof();
    expect((await refusal({ ...tampered, userContextData: `${tampered.userContextData}00` })).message).toBe("Invalid proof: the user context is not the one the proof commits to");
    expect((await refusal(await passportProof({ scope: "another-app" }))).message).toBe("Invalid proof: made for another scope");
    expect((await refusal(await passportProof({ endpoint: "https://elsewhere.example/api/agent/register/callback" }))).message).toBe("Invalid proof: made for another scope");
    expect((await refusal(await passportProof({ date: new Date(Date.now() - 5 * 86_400_000) }))).message).toBe("Invalid proof: the circuit date is not today");
    // the session asked for 18+: a proof disclosing no age does not meet it
    expect((await refusal(await passportProof({ olderThan: "00" }))).message).toBe("Proof does not show age 18 or over");
  });

  it("the scope hash covers the endpoint's host only, so every session of a deployment gives the human the same nullifier", async () => {
    const a = await hashEndpointWithScope("https://cs.example.org/api/agent/register/callback?token=enc_1", "countersign-agent-id");
    const b = await hashEndpointWithScope("https://cs.example.org/api/agent/deregister/callback?token=enc_2", "countersign-agent-id");
    expect(a).toBe(b);
    expect(await hashEndpointWithScope("https://other.example.org/x", "countersign-agent-id")).not.toBe(a);
    expect(await hashEndpointWithScope("https://cs.example.org/x", "other-scope")).not.toBe(a);
  });
});

describe("the disclosure mapping into the registry's credential fields", () => {
  it("nationality, age and OFAC only when asked; a passed OFAC check is not listed, a failed one is", async () => {
    const p = await passportProof({ nationality: "FRA", olderThan: "21", ofac: [1, 0, 1] });
    const disclosed = selfDisclosed(1, p.publicSignals);
    expect(disclosed).toEqual({ nationality: "FRA", olderThan: "21", ofac: [true, false, true] });
    expect(selfCredentials(disclosed, { minimumAge: 18, ofac: true, nationality: true })).toEqual({ nationality: "FRA", olderThan: 18, ofac: [false, true, false] });
    expect(selfCredentials(disclosed, {})).toEqual({ nationality: "", olderThan: 0, ofac: [false, false, false] });
    expect(selfCredentials({ nationality: "GBR", olderThan: "00", ofac: [false, false, false] }, { minimumAge: 18 })).toEqual({ nationality: "", olderThan: 0, ofac: [false, false, false] });
  });
});

describe("the network boundary", () => {
  it("a proof that passes every local check goes to Self's hub; an unreachable RPC URL is a provider failure naming the hub and host", async () => {
    const err = await refusal(await passportProof());
    expect(err).toBeInstanceOf(ProviderFailureError);
    expect(err.message).toMatch(new RegExp(`^Self verifier unavailable: the hub ${SELF_HUB.staging} could not be read through 127\\.0\\.0\\.1:9 \\(`));
  });
});

useTestDatabase();

describe("a Self session whose hub cannot be reached", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ["SELF_CHAIN_ID", "SELF_SCOPE", "SELF_RPC_URL", "SELF_MOCK_PASSPORT"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetEnvCache();
  });

  it("the callback turns the session failed with the reason (not a 500, not left open)", async () => {
    const celoSepolia = { chainId: 11142220, name: "Celo Sepolia", rpcUrl: "http://127.0.0.1:9", nativeCurrency: { name: "Celo", symbol: "CELO", decimals: 18 }, enabled: true, isDevnet: false };
    await syncNetworks(db(), [celoSepolia]);
    await recordIdentityRegistry(db(), 11142220, "0x000000000000000000000000000000000000dEaD");
    Object.assign(process.env, { SELF_CHAIN_ID: "11142220", SELF_SCOPE: "countersign-agent-id", SELF_RPC_URL: "http://127.0.0.1:9", SELF_MOCK_PASSPORT: "true" });
    resetEnvCache();

    const started = await createIdentifySession(db(), { chainId: 11142220, disclosures: { minimumAge: 18 } }, "https://cs.example.org");
    expect(new URL(started.deepLink).origin).toBe("https://redirect.self.xyz");
    const { row, request: req } = await sessionProofRequest(db(), started.sessionToken, "https://cs.example.org");
    expect(row.provider).toBe("self");
    const body = await passportProof({ userId: sessionUserId(row.id), endpoint: req.callbackUrl });
    const status = await sessionCallback(db(), started.sessionToken, "identify", body, "https://cs.example.org");
    expect(status).toMatchObject({ stage: "failed", error: expect.stringMatching(/^Self verifier unavailable: the hub 0x68c931C9a534D37aa78094877F46fE46a49F1A51 could not be read through 127\.0\.0\.1:9/) });
    // once: a second proof finds the session closed
    await expect(sessionCallback(db(), started.sessionToken, "identify", body, "https://cs.example.org")).rejects.toThrow("Operation not available at current session stage");
  });
});
