import { db } from "@/lib/db/client";
import { checkKeyStore } from "@/lib/keystore/binding";
import { uptimeSeconds } from "@/lib/ops/lifecycle";

export const VERSION = process.env.npm_package_version ?? "0.1.0";

export type Health = {
  status: "ok" | "degraded";
  checks: { database: { ok: boolean; detail?: string }; keyStore: { ok: boolean; detail?: string }; transparencyLog: { ok: boolean; detail?: string } };
  version: string;
  uptime: number;
  db: "reachable" | "unreachable";
};

/** A probe answers within this even when the database hangs (the pool's own waits are longer). */
export const HEALTH_CHECK_TIMEOUT_MS = 3000;

function withinProbeTime<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_CHECK_TIMEOUT_MS} ms`)), HEALTH_CHECK_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function health(): Promise<Health> {
  let database: Health["checks"]["database"];
  let keyStore: Health["checks"]["keyStore"];
  try {
    await withinProbeTime(db().$queryRaw`SELECT 1`);
    database = { ok: true };
  } catch (err) {
    database = { ok: false, detail: `database unreachable: ${(err as Error).message.split("\n")[0]}` };
  }
  if (database.ok) {
    const k = await withinProbeTime(checkKeyStore(db())).catch((err: Error) => ({ ok: false as const, detail: err.message }));
    keyStore = k.ok ? { ok: true } : { ok: false, detail: k.detail };
  } else {
    const { keyStoreStatus } = await import("@/lib/keystore");
    const s = keyStoreStatus();
    keyStore = s.sealed ? { ok: false, detail: `sealed: ${s.reason}` } : { ok: true };
  }
  // The transparency log's start-up self-check (lib/tlog/monitor.ts): a rewritten leaf, tile or checkpoint.
  // It runs once per process; a probe that comes while it still runs is not held past the probe time
  // (nothing wrong has been found yet), and a later probe reports its outcome.
  let transparencyLog: Health["checks"]["transparencyLog"] = { ok: true };
  if (database.ok) {
    const { logIntegrity } = await import("@/lib/tlog/monitor");
    transparencyLog = await withinProbeTime<Health["checks"]["transparencyLog"]>(logIntegrity(db())).catch(() => ({ ok: true, detail: "start-up self-check still running" }));
  }
  return {
    status: database.ok && keyStore.ok && transparencyLog.ok ? "ok" : "degraded",
    checks: { database, keyStore, transparencyLog },
    version: VERSION,
    uptime: Math.round(uptimeSeconds() * 1000) / 1000,
    db: database.ok ? "reachable" : "unreachable",
  };
}

/** GET /health and GET /api/health: 200 when everything is ok, 503 with the same body otherwise. */
export async function healthResponse(): Promise<{ status: 200; body: Health } | { status: 503; body: Health }> {
  const h = await health();
  return h.status === "ok" ? { status: 200, body: h } : { status: 503, body: h };
}
