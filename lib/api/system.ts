import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { ERROR_SCHEMAS } from "@/lib/http/families";
import { v1Error } from "./schemas";

const check = z.object({ ok: z.boolean(), detail: z.string().optional() });
const healthBody = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ database: check, keyStore: check, transparencyLog: check.meta({ description: "The transparency log's self-check: its signed checkpoints are still the roots of the stored tree" }) }),
  version: z.string(),
  /** Seconds since this server process started. */
  uptime: z.number().nonnegative(),
  db: z.enum(["reachable", "unreachable"]),
});

export const health = defineRoute({
  method: "GET",
  path: "/health",
  summary: "200 when the database answers and the key store is unsealed; 503 with the reason otherwise",
  tags: ["System"],
  auth: ["public"],
  quiet: true,
  responses: { 200: healthBody, 503: healthBody },
});

export const apiHealth = defineRoute({ ...health, family: "error", path: "/api/health", summary: "Same as GET /health, under /api for clients that only reach /api" });

const readyBody = z.object({
  status: z.enum(["ready", "not_ready", "draining"]),
  checks: z.object({ database: check, migrations: check, keyStore: check }),
});

export const ready = defineRoute({
  method: "GET",
  path: "/ready",
  summary: "Readiness: 200 when migrations are applied and the key store is unsealed; 503 before that and while the process drains on SIGTERM",
  tags: ["System"],
  auth: ["public"],
  quiet: true,
  responses: { 200: readyBody, 503: readyBody },
});

export const metrics = defineRoute({
  method: "GET",
  path: "/metrics",
  summary: "Prometheus metrics (text exposition format). With METRICS_TOKEN set, send it as Authorization: Bearer",
  tags: ["System"],
  auth: ["public"],
  quiet: true,
  produces: "text/plain",
  responses: { 200: z.string(), 401: v1Error },
});

export const openapi = defineRoute({
  method: "GET",
  path: "/openapi.json",
  summary: "This API's OpenAPI 3.1 description",
  tags: ["System"],
  auth: ["public"],
  responses: { 200: z.record(z.string(), z.unknown()) },
});

export const notFound = defineRoute({
  method: "GET",
  path: "/api/{path}",
  summary: "Any path under /api (outside /api/v1) that no route serves: 404 { error }",
  tags: ["System"],
  auth: ["public"],
  family: "error",
  responses: { 404: ERROR_SCHEMAS.error },
});

export const notFoundV1 = defineRoute({
  method: "GET",
  path: "/api/v1/{path}",
  summary: "Any path under /api/v1 that no route serves: 404 in the hybrid body (seeds 000 and 002 share /api/v1)",
  tags: ["System"],
  auth: ["public"],
  family: "hybrid",
  responses: { 404: ERROR_SCHEMAS.hybrid },
});

export const notFoundRoot = defineRoute({
  method: "GET",
  path: "/{path}",
  summary: "A root API path (seed 001, SCIM, /.well-known) that no route serves yet: 404 in its family's body (lib/http/path-table.ts)",
  tags: ["System"],
  auth: ["public"],
  family: "error",
  responses: { 404: ERROR_SCHEMAS.error },
});
