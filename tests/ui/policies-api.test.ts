import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/components/api/errors";
import { apiErrorFromBody } from "@/components/api/errors";
import { policyRequest, saveDraft } from "@/components/api/policies";
import { errorsFromIssues } from "@/components/policies/policy-format";

afterEach(() => {
  vi.unstubAllGlobals();
});

function stubFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  });
  return calls;
}

describe("guardrail API client", () => {
  it("reads the server's field names (seed 000's `field`) as violation paths", () => {
    const e = apiErrorFromBody(400, { statusCode: 400, message: "Invalid", violations: [{ type: "daily_limit", field: "body.config.maxAmount", message: "must be …" }] });
    expect(e.violations).toEqual([{ path: "body.config.maxAmount", message: "must be …" }]);
    expect(apiErrorFromBody(400, { violations: [{ path: ["body", "name"], message: "Required" }] }).violations).toEqual([{ path: "body.name", message: "Required" }]);
  });

  it("throws an ApiError whose violations land on the form's fields", async () => {
    stubFetch(400, { statusCode: 400, message: "Invalid daily_limit config", violations: [{ field: "body.config.token.address", message: "must be a 0x-prefixed 20-byte address" }] });
    const error = await policyRequest("/api/v1/signers/x/policies", "POST", { type: "daily_limit", config: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.statusCode).toBe(400);
    expect(errorsFromIssues(apiError.violations)).toEqual({ tokenAddress: "Must be a 0x-prefixed 20-byte address" });
  });

  it("saves a draft with PUT and the document as the body", async () => {
    const draft = { id: "d", version: 2 };
    const calls = stubFetch(200, { draft });
    const document = { version: 1, defaultAction: "allow", rules: [] };
    await expect(saveDraft("5f0c6a52-7f0b-4a53-9a55-0c1c5d0f6a11", document)).resolves.toEqual(draft);
    expect(calls[0]!.url).toBe("/api/v1/signers/5f0c6a52-7f0b-4a53-9a55-0c1c5d0f6a11/policy/draft");
    expect(calls[0]!.init.method).toBe("PUT");
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual(document);
  });
});
