import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { p256 } from "@noble/curves/nist.js";
import { TurnkeyClient } from "@turnkey/http";
import { ApiKeyStamper } from "@turnkey/api-key-stamper";
import { parseTransaction, recoverTransactionAddress, serializeTransaction, type Hex } from "viem";
import { startTurnkeyDevServer, type TurnkeyDevServer } from "@/tools/turnkey-dev/server";

/** A P-256 API key pair in Turnkey's encoding (private scalar hex, compressed public key hex). */
function apiKey() {
  const sk = p256.utils.randomSecretKey();
  return { apiPrivateKey: Buffer.from(sk).toString("hex"), apiPublicKey: Buffer.from(p256.getPublicKey(sk, true)).toString("hex") };
}

const provider = apiKey();
const agent = apiKey();
let dev: { server: TurnkeyDevServer; url: string; organizationId: string };
const client = (k: { apiPublicKey: string; apiPrivateKey: string }) => new TurnkeyClient({ baseUrl: dev.url }, new ApiKeyStamper(k));
const ts = () => String(Date.now());

beforeAll(async () => {
  dev = await startTurnkeyDevServer({ apiPublicKey: provider.apiPublicKey });
});
afterAll(async () => {
  await dev.server.close();
});

async function raw(path: string, body: string, stamp: string | null) {
  const res = await fetch(dev.url + path, { method: "POST", headers: { "content-type": "application/json", ...(stamp ? { "X-Stamp": stamp } : {}) }, body });
  return { status: res.status, json: (await res.json()) as { code?: number; message?: string } };
}

describe("Turnkey development stand-in: X-Stamp verification", () => {
  it("accepts the stamp @turnkey/api-key-stamper makes, and refuses a modified body, another key or no stamp", async () => {
    const who = await client(provider).getWhoami({ organizationId: dev.organizationId });
    expect(who.organizationId).toBe(dev.organizationId);

    const stamper = new ApiKeyStamper(provider);
    const body = JSON.stringify({ organizationId: dev.organizationId });
    const { stampHeaderValue } = await stamper.stamp(body);
    expect((await raw("/public/v1/query/whoami", body, stampHeaderValue)).status).toBe(200);
    // Same stamp, body changed by one character.
    const tampered = await raw("/public/v1/query/whoami", body.replace("}", " }"), stampHeaderValue);
    expect(tampered.status).toBe(401);
    expect(tampered.json.message).toMatch(/could not verify/);
    expect((await raw("/public/v1/query/whoami", body, null)).status).toBe(401);
    // A valid stamp by a key that is no user of the organization.
    const stranger = await new ApiKeyStamper(apiKey()).stamp(body);
    const refused = await raw("/public/v1/query/whoami", body, stranger.stampHeaderValue);
    expect(refused.status).toBe(401);
    expect(refused.json.message).toMatch(/not an API key of a user/);
    // A stamp claiming the provider's public key but signed by another key.
    const forged = JSON.parse(Buffer.from(stranger.stampHeaderValue, "base64url").toString());
    forged.publicKey = provider.apiPublicKey;
    expect((await raw("/public/v1/query/whoami", body, Buffer.from(JSON.stringify(forged)).toString("base64url"))).status).toBe(401);
  });
});

describe("Turnkey development stand-in: sub-organization, consensus policy, approval", () => {
  it("a non-root agent's sign_transaction needs the provider's approval; approval signs, rejection refuses", async () => {
    const sub = await client(provider).createSubOrganization({
      type: "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8",
      timestampMs: ts(),
      organizationId: dev.organizationId,
      parameters: {
        subOrganizationName: "test",
        rootUsers: [{ userName: "provider", apiKeys: [{ apiKeyName: "provider", publicKey: provider.apiPublicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [] }],
        rootQuorumThreshold: 1,
        wallet: { walletName: "w", accounts: [{ curve: "CURVE_SECP256K1", pathFormat: "PATH_FORMAT_BIP32", path: "m/44'/60'/0'/0/0", addressFormat: "ADDRESS_FORMAT_ETHEREUM" }] },
      },
    });
    expect(sub.activity.status).toBe("ACTIVITY_STATUS_COMPLETED");
    const result = sub.activity.result.createSubOrganizationResultV8!;
    const subOrg = result.subOrganizationId;
    const wallet = result.wallet!.addresses[0]!;
    const providerUserId = result.rootUserIds![0]!;
    const users = await client(provider).createUsers({
      type: "ACTIVITY_TYPE_CREATE_USERS_V4",
      timestampMs: ts(),
      organizationId: subOrg,
      parameters: { users: [{ userName: "agent", apiKeys: [{ apiKeyName: "agent", publicKey: agent.apiPublicKey, curveType: "API_KEY_CURVE_P256" }], authenticators: [], oauthProviders: [], userTags: [] }] },
    });
    const agentUserId = users.activity.result.createUsersResult!.userIds[0]!;
    await client(provider).createPolicy({
      type: "ACTIVITY_TYPE_CREATE_POLICY_V3",
      timestampMs: ts(),
      organizationId: subOrg,
      parameters: { policyName: "p", effect: "EFFECT_ALLOW", consensus: `approvers.any(user, user.id == '${agentUserId}') && approvers.any(user, user.id == '${providerUserId}')`, condition: "activity.type == 'ACTIVITY_TYPE_SIGN_TRANSACTION_V2'", notes: "" },
    });

    const unsigned = serializeTransaction({ type: "eip1559", chainId: 31337, nonce: 0, to: wallet as Hex, value: 1n, gas: 21000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n });
    const sign = () =>
      client(agent).signTransaction({ type: "ACTIVITY_TYPE_SIGN_TRANSACTION_V2", timestampMs: ts(), organizationId: subOrg, parameters: { signWith: wallet, unsignedTransaction: unsigned.slice(2), type: "TRANSACTION_TYPE_ETHEREUM" } });
    const pending = (await sign()).activity;
    expect(pending.status).toBe("ACTIVITY_STATUS_CONSENSUS_NEEDED");
    expect(pending.votes.map((v) => v.userId)).toEqual([agentUserId]);
    // The agent cannot approve its own activity a second time.
    await expect(client(agent).approveActivity({ type: "ACTIVITY_TYPE_APPROVE_ACTIVITY", timestampMs: ts(), organizationId: subOrg, parameters: { fingerprint: pending.fingerprint } })).rejects.toThrow(/already voted/);
    await client(provider).approveActivity({ type: "ACTIVITY_TYPE_APPROVE_ACTIVITY", timestampMs: ts(), organizationId: subOrg, parameters: { fingerprint: pending.fingerprint } });
    const done = (await client(provider).getActivity({ organizationId: subOrg, activityId: pending.id })).activity;
    expect(done.status).toBe("ACTIVITY_STATUS_COMPLETED");
    const signed = `0x${done.result.signTransactionResult!.signedTransaction}` as Hex;
    expect(await recoverTransactionAddress({ serializedTransaction: signed as never })).toBe(wallet);
    expect(parseTransaction(signed).value).toBe(1n);

    const second = (await sign()).activity;
    await client(provider).rejectActivity({ type: "ACTIVITY_TYPE_REJECT_ACTIVITY", timestampMs: ts(), organizationId: subOrg, parameters: { fingerprint: second.fingerprint } });
    expect((await client(agent).getActivity({ organizationId: subOrg, activityId: second.id })).activity.status).toBe("ACTIVITY_STATUS_REJECTED");
  });
});
