import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";
import { v1Error } from "./schemas";

const check = z.object({ ok: z.boolean(), detail: z.string().optional() });
const healthBody = z.object({
  status: z.enum(["ok", "degraded"]),
  checks: z.object({ database: check, keyStore: check }),
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

export const apiHealth = defineRoute({ ...health, path: "/api/health", summary: "Same as GET /health, under /api for clients that only reach /api" });

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
  summary: "Any path under /api that no route serves: 404 in the API's error shape",
  tags: ["System"],
  auth: ["public"],
  responses: { 404: z.object({ statusCode: z.literal(404), message: z.string() }) },
});
