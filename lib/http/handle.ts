import type { z } from "zod";
import { env } from "@/lib/config/env";
import { log } from "@/lib/log/logger";
import { observeRequest, tracedRoute } from "@/lib/ops/observe";
import { authenticate } from "./authenticate";
import { parseOrThrow, queryObject, readBodyBytes, readJsonBody } from "./body";
import type { RouteContract } from "./contract";
import { BadRequestError } from "./errors";
import type { Principal } from "./principal";
import { principalKey } from "./principal-key";
import { applyRateLimits } from "./rate-limit";
import { requestContext, type RequestContext } from "./request-context";
import { json, toErrorResponse } from "./respond";

type Out<C, K extends "params" | "query" | "body"> = C extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

export type HandlerContext<C extends RouteContract> = {
  req: Request;
  params: Out<C, "params">;
  query: Out<C, "query">;
  body: Out<C, "body">;
  /** The body as sent, for contracts with `rawBody` (else undefined). */
  rawBody: string | undefined;
  principal: Principal;
  ctx: RequestContext;
};

type SuccessStatus<C extends RouteContract> = Extract<keyof C["responses"], number>;
type BodyFor<C extends RouteContract, S> = S extends keyof C["responses"] ? (C["responses"][S] extends z.ZodType ? z.input<C["responses"][S]> : undefined) : never;

export type HandlerResult<C extends RouteContract> =
  | { [S in SuccessStatus<C>]: { status: S; body: BodyFor<C, S>; headers?: Record<string, string>; cookies?: string[] } }[SuccessStatus<C>]
  | Response;

/** What Next passes as the second argument of a route handler. */
type NextRouteContext = { params: Promise<unknown> };

/** Next decodes path segments; a segment that is not valid percent-encoding is the client's error, not ours. */
async function pathParams(next: NextRouteContext): Promise<unknown> {
  try {
    return await next.params;
  } catch (err) {
    throw new BadRequestError("Malformed percent-encoding in the request path", [{ field: "params", path: ["params"], code: "invalid_encoding", message: "Failed to decode path param(s)" }]);
  }
}

function defaultStatus(c: RouteContract): number {
  return Number(Object.keys(c.responses).find((s) => Number(s) >= 200 && Number(s) < 300) ?? 200);
}

/**
 * Wraps a route handler with its contract: request id, rate limit, authentication and permission,
 * strict parsing of params, query and body (400 naming the field), response validation outside
 * production, error mapping, and one structured log line per request.
 */
export function handle<C extends RouteContract>(contract: C, handler: (h: HandlerContext<C>) => Promise<HandlerResult<C>>) {
  return tracedRoute(contract, async function route(req: Request, next?: NextRouteContext): Promise<Response> {
    const started = performance.now();
    const ctx = requestContext(req);
    let status = 500;
    let principalId: string | undefined;
    try {
      await applyRateLimits(contract.rateLimit, "request", { ip: ctx.ip });
      const principal = await authenticate(req, contract, { ip: ctx.ip, requestId: ctx.requestId });
      principalId = principalKey(principal);
      await applyRateLimits(contract.rateLimit, "authenticated", { ip: ctx.ip, principal });

      const rawParams = next ? await pathParams(next) : {};
      const params = contract.params ? parseOrThrow(contract.params, rawParams, "params") : undefined;
      const query = contract.query ? parseOrThrow(contract.query, queryObject(new URL(req.url)), "query") : undefined;
      let body: unknown;
      let rawBody: string | undefined;
      if (contract.rawBody) {
        rawBody = (await readBodyBytes(req, contract.bodyLimitBytes ?? env().BODY_LIMIT_BYTES))?.toString("utf8");
      } else if (contract.body) {
        const raw = await readJsonBody(req, contract.bodyLimitBytes ?? env().BODY_LIMIT_BYTES);
        if (raw === undefined) {
          // A body whose every field is optional may be left out entirely (POST …/policy/activate).
          const empty = contract.body.safeParse({});
          if (!empty.success) throw new BadRequestError("Request body is required", [{ field: "body", message: "Required" }]);
          body = empty.data;
        } else {
          body = parseOrThrow(contract.body, raw, "body");
        }
      } else if (req.method !== "GET" && req.method !== "HEAD") {
        const raw = await readJsonBody(req, env().BODY_LIMIT_BYTES);
        if (raw !== undefined && !(typeof raw === "object" && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0)) {
          throw new BadRequestError("This endpoint takes no request body", [{ field: "body", message: "Unexpected body" }]);
        }
      }
      await applyRateLimits(contract.rateLimit, "parsed", { ip: ctx.ip, principal, params, query, body });

      const result = await handler({ req, params, query, body, rawBody, principal, ctx } as HandlerContext<C>);
      let res: Response;
      if (result instanceof Response) {
        res = result;
      } else {
        const schema = contract.responses[result.status];
        if (schema === undefined) throw new Error(`Handler returned status ${result.status}, which the contract for ${contract.method} ${contract.path} does not declare`);
        if (schema && env().NODE_ENV !== "production") {
          const check = schema.safeParse(result.body);
          if (!check.success) throw new Error(`Response for ${contract.method} ${contract.path} violates its contract: ${check.error.message}`);
        }
        const headers = new Headers(result.headers);
        for (const c of result.cookies ?? []) headers.append("set-cookie", c);
        res = schema === null ? new Response(null, { status: result.status, headers }) : json(result.body, { status: result.status, headers });
      }
      res.headers.set("x-request-id", ctx.requestId);
      // RFC 7644 §3.1: SCIM answers in its own media type.
      if (contract.family === "scim" && res.headers.get("content-type")?.startsWith("application/json")) res.headers.set("content-type", "application/scim+json; charset=utf-8");
      status = res.status;
      return res;
    } catch (err) {
      const res = toErrorResponse(err, ctx.requestId, contract.family);
      status = res.status;
      return res;
    } finally {
      observeRequest(contract, { method: req.method, status, started, requestId: ctx.requestId });
      if (!contract.quiet) log.info("request", {
        requestId: ctx.requestId,
        method: req.method,
        route: contract.path,
        status,
        ms: Math.round(performance.now() - started),
        principal: principalId,
        ip: ctx.ip,
      });
    }
  });
}

export { defaultStatus };
