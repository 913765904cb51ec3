import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PayloadTooLargeError,
  SealedError,
  TooManyRequestsError,
  UnauthorizedError,
} from "@/lib/http/errors";
import { toErrorResponse } from "@/lib/http/respond";
import { parseOrThrow } from "@/lib/http/body";
import { redact } from "@/lib/log/logger";
import { ApiError } from "@/lib/http/errors";

describe("error mapping", () => {
  it("maps each typed error to its status and seed 000's body", async () => {
    const cases: [Error, number][] = [
      [new BadRequestError("bad", [{ field: "body.x", message: "Required" }]), 400],
      [new UnauthorizedError(), 401],
      [new ForbiddenError("Policy violation", [{ policyId: "p1", type: "spending_limit", message: "too much" }]), 403],
      [new NotFoundError(), 404],
      [new ConflictError(), 409],
      [new GoneError(), 410],
      [new PayloadTooLargeError(10), 413],
      [new TooManyRequestsError(3), 429],
      [new SealedError(), 503],
    ];
    for (const [err, status] of cases) {
      const res = toErrorResponse(err, "req-1");
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.statusCode).toBe(status);
      expect(body.message).toBe(err.message);
      expect(res.headers.get("x-request-id")).toBe("req-1");
    }
    const forbidden = await toErrorResponse(cases[2]![0], "r").json();
    expect(forbidden.violations).toEqual([{ policyId: "p1", type: "spending_limit", message: "too much" }]);
    expect(toErrorResponse(new TooManyRequestsError(2.2), "r").headers.get("retry-after")).toBe("3");
  });

  it("hides unknown errors behind a 500 that leaks nothing", async () => {
    const res = toErrorResponse(new Error("connection string postgres://user:hunter2@db"), "req-2");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ statusCode: 500, message: "Internal server error" });
  });

  it("names every failing field of a zod schema", () => {
    const schema = z.strictObject({ a: z.number(), b: z.object({ c: z.string() }) });
    try {
      parseOrThrow(schema, { a: "x", b: {}, d: 1 }, "body");
      expect.unreachable();
    } catch (e) {
      const err = e as BadRequestError;
      expect(err.status).toBe(400);
      expect(err.violations!.map((v) => v.field).sort()).toEqual(["body.a", "body.b.c", "body.d"]);
    }
  });

  it("redacts secrets from anything that is logged", () => {
    const out = redact({ user: "a", apiKey: "cso_x", nested: { password: "p", sessionToken: "t", list: [{ secret: "s" }] }, share: "x" }) as Record<string, any>;
    expect(JSON.stringify(out)).not.toMatch(/cso_x|"p"|"t"|"s"|"x"/);
    expect(out.user).toBe("a");
  });
});

describe("errors from another copy of lib/http/errors (the production build bundles instrumentation.ts apart from each route)", () => {
  it("still map to their status and message, while subclasses keep their own identity", async () => {
    vi.resetModules();
    const other = await import("@/lib/http/errors");
    expect(other.ApiError).not.toBe(ApiError);
    const err = new other.UnauthorizedError("Invalid agent signature");
    expect(err instanceof ApiError).toBe(true);
    expect(err instanceof UnauthorizedError).toBe(false);
    expect(new Error("plain") instanceof ApiError).toBe(false);
    expect({ status: 401, message: "look-alike" } instanceof ApiError).toBe(false);
    const res = toErrorResponse(err, "req-x");
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toContain("Invalid agent signature");
  });
});

