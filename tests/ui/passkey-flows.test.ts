import { describe, expect, it } from "vitest";
import type { ApiRequest } from "@/components/api/client";
import { ApiError } from "@/components/api/errors";
import { addPasskey, describeCeremonyError, signInWithPasskey, signUpWithPasskey, type PasskeyFlowDeps } from "@/components/auth/passkey-flows";
import { authErrorMessage } from "@/components/auth/error-message";

type Call = { path: string; request: ApiRequest | undefined };

/** A scripted API: answers each call from the queue and records what was sent. */
function scriptedDeps(answers: unknown[], overrides: Partial<PasskeyFlowDeps> = {}) {
  const calls: Call[] = [];
  const ceremonies: string[] = [];
  const deps: PasskeyFlowDeps = {
    request: async <T,>(path: string, request?: ApiRequest) => {
      calls.push({ path, request });
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
    startRegistration: async ({ optionsJSON }) => {
      ceremonies.push(`register:${optionsJSON.challenge}`);
      return { id: "cred-1", rawId: "cred-1", type: "public-key", response: { clientDataJSON: "c", attestationObject: "a" }, clientExtensionResults: {} };
    },
    startAuthentication: async ({ optionsJSON }) => {
      ceremonies.push(`authenticate:${optionsJSON.challenge}`);
      return { id: "cred-1", rawId: "cred-1", type: "public-key", response: { clientDataJSON: "c", authenticatorData: "d", signature: "s" }, clientExtensionResults: {} };
    },
    ...overrides,
  };
  return { deps, calls, ceremonies };
}

const user = { id: "u1", email: "a@b.co", name: "Ada", emailVerified: false, walletAddress: null };
const creationOptions = { challenge: "reg-challenge", rp: { name: "Countersign" }, user: { id: "dQ", name: "a@b.co", displayName: "Ada" }, pubKeyCredParams: [] };

describe("signUpWithPasskey", () => {
  it("registers, runs the creation ceremony with the server options, then stores the credential", async () => {
    const { deps, calls, ceremonies } = scriptedDeps([
      { user, passkeyOptions: creationOptions },
      { passkey: { id: "pk1", name: "Passkey", createdAt: "2026-01-01T00:00:00Z" } },
    ]);
    const result = await signUpWithPasskey({ email: "  a@b.co ", name: " Ada " }, deps);
    expect(result.user.id).toBe("u1");
    expect(result.passkey.id).toBe("pk1");
    expect(ceremonies).toEqual(["register:reg-challenge"]);
    expect(calls.map((call) => call.path)).toEqual(["/api/v1/auth/register", "/api/v1/auth/passkey/register"]);
    expect(calls[0]!.request).toEqual({ method: "POST", body: { email: "a@b.co", name: "Ada" } });
    expect(calls[1]!.request?.body).toMatchObject({ credential: { id: "cred-1" } });
    expect(calls[1]!.request?.body).not.toHaveProperty("name");
  });

  it("stops before the ceremony when the email is taken", async () => {
    const { deps, calls, ceremonies } = scriptedDeps([new ApiError(409, "Email already registered")]);
    await expect(signUpWithPasskey({ email: "a@b.co", name: "Ada" }, deps)).rejects.toMatchObject({ statusCode: 409 });
    expect(ceremonies).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("does not store anything when the user cancels the ceremony", async () => {
    const cancelled = Object.assign(new Error("The operation either timed out or was not allowed."), { name: "NotAllowedError" });
    const { deps, calls } = scriptedDeps([{ user, passkeyOptions: creationOptions }], {
      startRegistration: async () => {
        throw cancelled;
      },
    });
    const error = await signUpWithPasskey({ email: "a@b.co", name: "Ada" }, deps).catch((caught: unknown) => caught);
    expect(calls).toHaveLength(1);
    expect(authErrorMessage(error)).toBe("The passkey request was cancelled or timed out.");
  });
});

describe("signInWithPasskey", () => {
  it("asks for a challenge, authenticates and posts the assertion", async () => {
    const { deps, calls, ceremonies } = scriptedDeps([{ options: { challenge: "login-challenge", allowCredentials: [] } }, { user }]);
    await expect(signInWithPasskey(deps)).resolves.toEqual(user);
    expect(ceremonies).toEqual(["authenticate:login-challenge"]);
    expect(calls.map((call) => [call.path, call.request?.method])).toEqual([
      ["/api/v1/auth/passkey/login-challenge", "POST"],
      ["/api/v1/auth/passkey/login", "POST"],
    ]);
    expect(calls[1]!.request?.body).toMatchObject({ credential: { response: { signature: "s" } } });
  });
});

describe("addPasskey", () => {
  it("requests options with an empty body and names the new passkey", async () => {
    const { deps, calls } = scriptedDeps([{ options: creationOptions }, { passkey: { id: "pk2", name: "Laptop", createdAt: "x" } }]);
    const passkey = await addPasskey("  Laptop ", deps);
    expect(passkey.name).toBe("Laptop");
    expect(calls[0]!.request).toEqual({ method: "POST", body: {} });
    expect(calls[1]!.request?.body).toMatchObject({ name: "Laptop", credential: { id: "cred-1" } });
  });

  it("omits a blank name", async () => {
    const { deps, calls } = scriptedDeps([{ options: creationOptions }, { passkey: { id: "pk2", name: "Passkey", createdAt: "x" } }]);
    await addPasskey("   ", deps);
    expect(calls[1]!.request?.body).not.toHaveProperty("name");
  });
});

describe("describeCeremonyError", () => {
  it("maps WebAuthn failure codes and names", () => {
    const coded = (code: string) => Object.assign(new Error("x"), { code });
    expect(describeCeremonyError(coded("ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED"))).toMatch(/already holds a passkey/);
    expect(describeCeremonyError(coded("ERROR_INVALID_RP_ID"))).toMatch(/not available on this address/);
    expect(describeCeremonyError(Object.assign(new Error("x"), { name: "NotSupportedError" }))).toMatch(/does not support passkeys/);
  });

  it("returns null for errors that are not ceremony failures", () => {
    expect(describeCeremonyError(new ApiError(500, "boom"))).toBeNull();
    expect(describeCeremonyError("nope")).toBeNull();
    expect(authErrorMessage(new ApiError(500, "boom"))).toBe("boom");
  });
});
