import { describe, expect, it } from "vitest";
import { parseSiweMessage } from "viem/siwe";
import { recoverMessageAddress, type Address } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import type { ApiRequest } from "@/components/api/client";
import { SIWE_STATEMENT, signInWithWallet } from "@/components/auth/wallet-flow";

describe("signInWithWallet", () => {
  it("builds an EIP-4361 message for this origin, has the wallet sign it and posts both", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const calls: Array<{ path: string; request?: ApiRequest }> = [];
    const user = { id: "u1", email: null, name: null, emailVerified: false, walletAddress: account.address };
    const answers: unknown[] = [{ nonce: "n0nce1234567" }, { user }];
    const issuedAt = new Date("2026-11-27T03:00:00.000Z");

    const result = await signInWithWallet({
      request: async <T,>(path: string, request?: ApiRequest) => {
        calls.push({ path, request });
        return answers.shift() as T;
      },
      connect: async () => ({ address: account.address, chainId: 8453 }),
      signMessage: (message: string, address: Address) => {
        expect(address).toBe(account.address);
        return account.signMessage({ message });
      },
      location: { host: "localhost:3000", origin: "http://localhost:3000" },
      now: () => issuedAt,
    });

    expect(result).toEqual(user);
    expect(calls.map((call) => call.path)).toEqual(["/api/v1/auth/siwe/nonce", "/api/v1/auth/siwe/verify"]);
    const body = calls[1]!.request?.body as { message: string; signature: `0x${string}` };
    const parsed = parseSiweMessage(body.message);
    expect(parsed).toMatchObject({
      domain: "localhost:3000",
      address: account.address,
      uri: "http://localhost:3000",
      version: "1",
      chainId: 8453,
      nonce: "n0nce1234567",
      statement: SIWE_STATEMENT,
    });
    expect(parsed.issuedAt?.toISOString()).toBe(issuedAt.toISOString());

    // The signature must recover to the signer's address over the exact message text, as the server checks it.
    await expect(recoverMessageAddress({ message: body.message, signature: body.signature })).resolves.toBe(account.address);
  });

  it("does not ask for a nonce when the wallet refuses to connect", async () => {
    const calls: string[] = [];
    await expect(
      signInWithWallet({
        request: async <T,>(path: string) => {
          calls.push(path);
          return {} as T;
        },
        connect: async () => {
          throw new Error("User rejected the request.");
        },
        signMessage: async () => "0x",
        location: { host: "localhost", origin: "http://localhost" },
      }),
    ).rejects.toThrow(/User rejected/);
    expect(calls).toEqual([]);
  });
});
