import { describe, expect, it } from "vitest";
import { apiRequest, isUnauthenticated, type FetchLike } from "@/components/api/client";
import { ApiError, NetworkError, apiErrorFromBody, describeError } from "@/components/api/errors";

function recordingFetch(response: Response) {
  const calls: Array<{ input: string; init: RequestInit }> = [];
  const fetchImpl: FetchLike = async (input, init) => {
    calls.push({ input, init });
    return response;
  };
  return { calls, fetchImpl };
}

describe("apiRequest", () => {
  it("sends JSON with same-origin credentials and parses the answer", async () => {
    const { calls, fetchImpl } = recordingFetch(Response.json({ apiKey: { id: "k1" }, secret: "cs_live_x" }, { status: 201 }));
    const body = await apiRequest<{ secret: string }>("/api/v1/api-keys", { method: "POST", body: { name: "n", scopes: ["a"] } }, fetchImpl);
    expect(body.secret).toBe("cs_live_x");
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.input).toBe("/api/v1/api-keys");
    expect(call.init.method).toBe("POST");
    expect(call.init.credentials).toBe("same-origin");
    expect(call.init.body).toBe(JSON.stringify({ name: "n", scopes: ["a"] }));
    expect((call.init.headers as Record<string, string>)["content-type"]).toBe("application/json");
  });

  it("sends no body or content-type on GET", async () => {
    const { calls, fetchImpl } = recordingFetch(Response.json({ ok: true }));
    await apiRequest("/api/v1/auth/me", {}, fetchImpl);
    expect(calls[0]!.init.method).toBe("GET");
    expect(calls[0]!.init.body).toBeUndefined();
    expect((calls[0]!.init.headers as Record<string, string>)["content-type"]).toBeUndefined();
  });

  it("resolves undefined for 204", async () => {
    const { fetchImpl } = recordingFetch(new Response(null, { status: 204 }));
    await expect(apiRequest("/api/v1/api-keys/k1", { method: "DELETE" }, fetchImpl)).resolves.toBeUndefined();
  });

  it("throws ApiError carrying status, message and violations", async () => {
    const { fetchImpl } = recordingFetch(
      Response.json({ statusCode: 400, message: "Invalid body", violations: [{ path: ["email"], message: "Invalid email" }] }, { status: 400 }),
    );
    const error = await apiRequest("/api/v1/auth/register", { method: "POST", body: {} }, fetchImpl).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.statusCode).toBe(400);
    expect(apiError.message).toBe("Invalid body");
    expect(apiError.violations).toEqual([{ path: "email", message: "Invalid email" }]);
    expect(describeError(apiError)).toBe("email: Invalid email");
  });

  it("uses a readable fallback when the error body is not JSON", async () => {
    const { fetchImpl } = recordingFetch(new Response("Bad gateway", { status: 502 }));
    const error = (await apiRequest("/x", {}, fetchImpl).catch((caught: unknown) => caught)) as ApiError;
    expect(error.statusCode).toBe(502);
    expect(error.message).toBe("Request failed (502).");
  });

  it("wraps transport failures in NetworkError", async () => {
    const failing: FetchLike = async () => {
      throw new TypeError("fetch failed");
    };
    const error = await apiRequest("/x", {}, failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
  });

  it("lets aborts through unchanged", async () => {
    const aborting: FetchLike = async () => {
      throw new DOMException("aborted", "AbortError");
    };
    const error = await apiRequest("/x", {}, aborting).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DOMException);
  });
});

describe("error helpers", () => {
  it("recognises 401 as signed out", () => {
    expect(isUnauthenticated(apiErrorFromBody(401, { statusCode: 401, message: "Unauthorized" }))).toBe(true);
    expect(isUnauthenticated(apiErrorFromBody(403, {}))).toBe(false);
    expect(isUnauthenticated(new Error("x"))).toBe(false);
  });

  it("falls back to status-specific messages", () => {
    expect(apiErrorFromBody(403, {}).message).toBe("You do not have permission to do that.");
    expect(apiErrorFromBody(418, undefined).message).toBe("Request failed (418).");
    expect(apiErrorFromBody(409, { message: "" }).message).toBe("That conflicts with the current state.");
  });

  it("accepts string violations and ignores malformed ones", () => {
    expect(apiErrorFromBody(400, { message: "m", violations: ["too short", 5, { nope: 1 }] }).violations).toEqual([{ message: "too short" }]);
  });

  it("describes unknown throwables", () => {
    expect(describeError("boom")).toBe("Something unexpected happened.");
    expect(describeError(new Error("plain"))).toBe("plain");
  });
});
