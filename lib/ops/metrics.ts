/**
 * Prometheus metrics (prom-client). One registry per process, kept on globalThis: Next bundles route
 * handlers and instrumentation.ts separately, and a second copy of this module must not register the
 * same metric names twice. Labels are bounded and never carry secrets or identities: route
 * templates (not raw paths), status classes, modes and outcomes — no API key, user id or address.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { db, dbPoolStats } from "@/lib/db/client";
import { getBackend } from "@/lib/mpc/bigint";

export type CeremonyOutcome = "completed" | "aborted" | "expired" | "rejected";
export type PushResult = "sent" | "retry" | "failed" | "gone";

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const labels = ["method", "route", "status_class"] as const;
  return {
    registry,
    httpRequests: new Counter({ name: "countersign_http_requests_total", help: "HTTP requests by route template and status class", labelNames: labels, registers }),
    httpDuration: new Histogram({
      name: "countersign_http_request_duration_seconds",
      help: "HTTP request latency by route template and status class",
      labelNames: labels,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    signingStarted: new Counter({
      name: "countersign_signing_sessions_started_total",
      help: "Signing sessions opened, by mode (signer_server, user_server) and status (open, or pending_approval when a rule parks it)",
      labelNames: ["mode", "status"] as const,
      registers,
    }),
    ceremoniesEnded: new Counter({
      name: "countersign_ceremonies_ended_total",
      help: "Ceremonies that ended, by kind (sign, dkg) and outcome (completed, aborted, expired, rejected)",
      labelNames: ["kind", "outcome"] as const,
      registers,
    }),
    policyDecisions: new Counter({ name: "countersign_policy_decisions_total", help: "Guardrail decisions on signing requests, by outcome", labelNames: ["outcome"] as const, registers }),
    pushDeliveries: new Counter({ name: "countersign_push_deliveries_total", help: "Push delivery attempts, by result (sent, retry, failed, gone)", labelNames: ["result"] as const, registers }),
    securityEvents: new Counter({ name: "countersign_security_events_total", help: "Security events recorded (lib/security), by kind (credential_failed, credential_rate_limited)", labelNames: ["kind"] as const, registers }),
    primePool: new Gauge({
      name: "countersign_prime_pool_primes",
      help: "Safe primes ready in the server's prime pool, by size in bits",
      labelNames: ["bits"] as const,
      registers,
      async collect() {
        this.reset();
        if (!process.env.DATABASE_URL) return;
        try {
          const rows = await db().serverPrime.groupBy({ by: ["bits"], _count: { _all: true } });
          for (const r of rows) this.set({ bits: String(r.bits) }, r._count._all);
        } catch {
          // Database down: no sample rather than a wrong one (/health says why).
        }
      },
    }),
    mpcBackend: new Gauge({
      name: "countersign_mpc_backend",
      help: "The big-integer backend the request handlers compute on (openssl, wasm or bigint): 1 for the active one",
      labelNames: ["backend"] as const,
      registers,
    }),
    dbPool: new Gauge({
      name: "countersign_db_pool_connections",
      help: "Database pool connections by state: total (open), idle, waiting (requests queued for one), max (configured size)",
      labelNames: ["state"] as const,
      registers,
      collect() {
        this.reset();
        const s = dbPoolStats();
        if (!s) return;
        this.set({ state: "total" }, s.total);
        this.set({ state: "idle" }, s.idle);
        this.set({ state: "waiting" }, s.waiting);
        this.set({ state: "max" }, s.max);
      },
    }),
  };
}

type Metrics = ReturnType<typeof build>;
const holder = globalThis as unknown as { __countersignMetrics?: Metrics };

export function metrics(): Metrics {
  holder.__countersignMetrics ??= build();
  return holder.__countersignMetrics;
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other";
}

export function recordHttpRequest(input: { method: string; route: string; status: number; seconds: number }): void {
  const l = { method: input.method, route: input.route, status_class: statusClass(input.status) };
  const m = metrics();
  m.httpRequests.inc(l);
  m.httpDuration.observe(l, input.seconds);
}

export function recordSigningSessionStarted(mode: string, status: "open" | "pending_approval"): void {
  metrics().signingStarted.inc({ mode, status });
}

export function recordCeremonyEnded(kind: string, outcome: CeremonyOutcome, count = 1): void {
  if (count > 0) metrics().ceremoniesEnded.inc({ kind, outcome }, count);
}

export function recordPolicyDecision(outcome: "allow" | "deny" | "require_approval"): void {
  metrics().policyDecisions.inc({ outcome });
}

export function recordPushDelivery(result: PushResult): void {
  metrics().pushDeliveries.inc({ result });
}

export function recordSecurityEventMetric(kind: string): void {
  metrics().securityEvents.inc({ kind });
}

/** The exposition text and its content type, for GET /metrics. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry, mpcBackend } = metrics();
  // Read here, in the scraping route's copy of lib/mpc/bigint (not in a collect callback, which
  // belongs to whichever module copy built the registry): what the route handlers compute on.
  mpcBackend.reset();
  mpcBackend.set({ backend: getBackend().name }, 1);
  return { body: await registry.metrics(), contentType: registry.contentType };
}
