/**
 * Starts the OpenTelemetry Node SDK: OTLP/HTTP exporter (it reads OTEL_EXPORTER_OTLP_ENDPOINT and
 * _HEADERS itself), Prisma's instrumentation (a span per query), and a sampler that never records
 * the probes. Loaded only by instrumentation.ts when tracing is on, and by tests.
 */
import type { Attributes, Context, Link, SpanKind } from "@opentelemetry/api";
import { NodeSDK, resources } from "@opentelemetry/sdk-node";
import { AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { PrismaInstrumentation } from "@prisma/instrumentation";
import { PROBE_PATHS, tracingHolder } from "./tracing";

/** Root sampler: everything but requests for a probe path (Next's request spans carry `http.target`). */
export class ProbeFilterSampler implements Sampler {
  constructor(private readonly inner: Sampler = new AlwaysOnSampler()) {}
  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const target = attributes["http.target"] ?? attributes["url.path"];
    if (typeof target === "string" && PROBE_PATHS.has(target.split("?")[0]!)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }
  toString() {
    return `ProbeFilterSampler{${this.inner.toString()}}`;
  }
}

/**
 * Starts the SDK once per process. `spanProcessors` replaces the OTLP exporter (tests pass an
 * in-memory one). Returns false, doing nothing, when no endpoint is configured and none is given.
 */
export function startTracing(opts: { spanProcessors?: SpanProcessor[] } = {}): boolean {
  if (tracingHolder.__countersignTracing) return true;
  if (!opts.spanProcessors && !process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
  const sdk = new NodeSDK({
    // A default: the SDK's environment detector lets OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES override it.
    resource: resources.resourceFromAttributes({ "service.name": "countersign" }),
    spanProcessors: opts.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter())],
    sampler: new ParentBasedSampler({ root: new ProbeFilterSampler() }),
    instrumentations: [new PrismaInstrumentation()],
    // Traces only: metrics are Prometheus's (/metrics), logs stay JSON lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  tracingHolder.__countersignTracing = { shutdown: () => sdk.shutdown() };
  return true;
}
