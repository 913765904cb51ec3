/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (then instrumentation.ts
 * starts the SDK, lib/ops/tracing-sdk.ts). Route handlers (lib/http/handle.ts) and ceremony rounds
 * open their spans through `withSpan`, which is a plain call while tracing is off: this module loads
 * only the small @opentelemetry/api, never the SDK.
 */
import { randomBytes } from "node:crypto";
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Span } from "@opentelemetry/api";

export const PROBE_PATHS: ReadonlySet<string> = new Set(["/health", "/api/health", "/ready", "/metrics"]);
const TRACER = "countersign";

/** Set by tracing-sdk.ts once the SDK runs; on globalThis because Next bundles modules more than once. */
export const tracingHolder = globalThis as unknown as { __countersignTracing?: { shutdown(): Promise<void> } };

export function tracingEnabled(): boolean {
  return tracingHolder.__countersignTracing !== undefined;
}

/** Flushes pending spans and stops the SDK (on drain, in tests); a no-op while tracing is off. */
export async function stopTracing(): Promise<void> {
  const t = tracingHolder.__countersignTracing;
  tracingHolder.__countersignTracing = undefined;
  await t?.shutdown();
}

/**
 * Runs `fn` inside an active span (so database spans nest under it); marks the span as an error
 * when `fn` throws. While tracing is off this is just `fn(undefined)`.
 */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span | undefined) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  if (!tracingEnabled()) return fn(undefined);
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` with nothing traced: under a parent span that is not sampled, so every span started
 * inside (database queries too) is dropped by the parent-based sampler. For the probes.
 */
export function untraced<T>(fn: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return fn();
  const parent = trace.wrapSpanContext({ traceId: randomBytes(16).toString("hex"), spanId: randomBytes(8).toString("hex"), traceFlags: TraceFlags.NONE });
  return context.with(trace.setSpan(context.active(), parent), fn);
}

export { SpanKind };
