/**
 * Tracing with the real OpenTelemetry Node SDK and an in-memory exporter: a route call produces a
 * span carrying the request id that its log line carries, with Prisma's query spans nested under it;
 * a ceremony round gets its own span; probes are never traced; the sampler drops Next's probe spans.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { FAST_TEST } from "@/lib/mpc";
import { CountersignAgent } from "@/lib/sdk/agent";
import { ProbeFilterSampler, startTracing } from "@/lib/ops/tracing-sdk";
import { stopTracing, tracingEnabled } from "@/lib/ops/tracing";
import { GET as listNetworks } from "@/app/api/v1/networks/route";
import { GET as health } from "@/app/health/route";
import { GET as ready } from "@/app/ready/route";
import { GET as metricsRoute } from "@/app/metrics/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { createSignerViaDkg } from "../helpers/signer";

useTestDatabase();

const exporter = new InMemorySpanExporter();
let owner: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  expect(tracingEnabled()).toBe(false);
  expect(startTracing()).toBe(false); // no OTEL_EXPORTER_OTLP_ENDPOINT: stays off
  expect(tracingEnabled()).toBe(false);
  expect(startTracing({ spanProcessors: [new SimpleSpanProcessor(exporter)] })).toBe(true);
  owner = await makeUser();
  await syncNetworks(db(), configuredNetworks({}));
});

afterAll(async () => {
  await stopTracing();
});

const isDescendant = (span: ReadableSpan, root: ReadableSpan, all: ReadableSpan[]): boolean => {
  let parent = span.parentSpanContext?.spanId;
  while (parent) {
    if (parent === root.spanContext().spanId) return true;
    parent = all.find((s) => s.spanContext().spanId === parent)?.parentSpanContext?.spanId;
  }
  return false;
};

describe("tracing", () => {
  it("a route call produces a span named by its route template, carrying the request id of its log line, with the database queries under it", async () => {
    exporter.reset();
    const r = await call(listNetworks, "GET", "/api/v1/networks", { cookie: owner.cookie, headers: { "x-request-id": "trace-me-0001" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-request-id")).toBe("trace-me-0001");
    const spans = exporter.getFinishedSpans();
    const route = spans.find((s) => s.name === "GET /api/v1/networks");
    expect(route).toBeDefined();
    expect(route!.attributes).toMatchObject({ "countersign.request_id": "trace-me-0001", "http.route": "/api/v1/networks", "http.request.method": "GET", "http.response.status_code": 200 });
    const queries = spans.filter((s) => s.name.startsWith("prisma:"));
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((q) => q.spanContext().traceId === route!.spanContext().traceId && isDescendant(q, route!, spans))).toBe(true);
  });

  it("marks a failed request's span with its status (and a generated request id when none was sent)", async () => {
    exporter.reset();
    const r = await call(listNetworks, "GET", "/api/v1/networks");
    expect(r.status).toBe(401);
    const route = exporter.getFinishedSpans().find((s) => s.name === "GET /api/v1/networks")!;
    expect(route.attributes["countersign.request_id"]).toBe(r.headers.get("x-request-id"));
    expect(route.attributes["http.response.status_code"]).toBe(401);
  });

  it("traces each ceremony round, under the route that carried it", async () => {
    const s = await createSignerViaDkg(owner.cookie, 31337, "Traced bot");
    const agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: appFetch });
    exporter.reset();
    await agent.signMessage("trace this");
    const spans = exporter.getFinishedSpans();
    const rounds = spans.filter((x) => x.name === "ceremony.round");
    expect(rounds.length).toBeGreaterThan(0);
    for (const round of rounds) {
      const parent = spans.find((x) => x.spanContext().spanId === round.parentSpanContext?.spanId);
      expect(parent?.name).toBe("POST /api/v1/sign/round");
      expect(round.attributes["countersign.party"]).toBe(0);
    }
    expect(spans.some((x) => x.name === "signing.server_first_round")).toBe(true);
  });

  it("never traces the probes", async () => {
    exporter.reset();
    expect((await call(health, "GET", "/health")).status).toBe(200);
    expect((await call(ready, "GET", "/ready")).status).toBe(200);
    expect((await call(metricsRoute, "GET", "/metrics")).status).toBe(200);
    // Their handlers query the database (SELECT 1, the migrations, the prime pool), yet not even a query span is recorded.
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
    // …while the same query outside a probe is.
    await db().$queryRaw`SELECT 1`;
    expect(exporter.getFinishedSpans().some((s) => s.name.startsWith("prisma:"))).toBe(true);
  });

  it("the sampler drops Next's request spans for probe paths and keeps the rest", () => {
    const sampler = new ProbeFilterSampler();
    const decide = (target: string) => sampler.shouldSample(ROOT_CONTEXT, "0".repeat(31) + "1", "GET", SpanKind.SERVER, { "http.method": "GET", "http.target": target }, []).decision;
    for (const t of ["/health", "/api/health", "/ready", "/metrics", "/metrics?x=1"]) expect(decide(t), t).toBe(SamplingDecision.NOT_RECORD);
    for (const t of ["/api/v1/networks", "/healthz", "/readiness", "/"]) expect(decide(t), t).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
