/**
 * GET /metrics through a real Prometheus text parser: signing sessions move the right counters
 * (started, completed, aborted, rejected; policy decisions by outcome), requests are counted per
 * route template and status class with a latency histogram, probes are not, the prime pool and DB
 * pool gauges read live values, push deliveries count by result, and METRICS_TOKEN guards it all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { configuredNetworks, syncNetworks } from "@/lib/chain/network-registry";
import { resetEnvCache } from "@/lib/config/env";
import { FAST_TEST, type Message } from "@/lib/mpc";
import { getBackend } from "@/lib/mpc/bigint";
import { CountersignAgent, PolicyViolationError } from "@/lib/sdk/agent";
import { localSignParty } from "@/lib/signing/local-party";
import { newIdentityKey } from "@/lib/signing/message-auth";
import { addPrime, poolSize } from "@/lib/signing/prime-pool";
import { fixtureSafePrimes } from "@/lib/mpc/fixtures";
import { registerDevice } from "@/lib/push/devices";
import { enqueueDeliveries, processDueDeliveries } from "@/lib/push/deliveries";
import { GET as metricsRoute } from "@/app/metrics/route";
import { GET as healthRoute } from "@/app/health/route";
import { GET as readyRoute } from "@/app/ready/route";
import { POST as messageSession } from "@/app/api/v1/sign-message/session/route";
import { POST as signRound } from "@/app/api/v1/sign/round/route";
import { POST as rejectRequest } from "@/app/api/v1/signing-requests/[id]/reject/route";
import { useTestDatabase } from "../helpers/db";
import { call, makeUser } from "../helpers/http";
import { appFetch } from "../helpers/app-fetch";
import { activateRules, agentIdentityOf, createSignerViaDkg } from "../helpers/signer";
import { startReceiver, browserKeys, type Receiver } from "../push/receiver";
import { family, histogram, parse, scrape, value } from "./prometheus";

useTestDatabase();

let owner: Awaited<ReturnType<typeof makeUser>>;
let s: Awaited<ReturnType<typeof createSignerViaDkg>>;
let agent: CountersignAgent;
let n = 0;
const nonce = () => (0x3e7 + ++n).toString(16).padStart(64, "0");

beforeAll(async () => {
  await syncNetworks(db(), configuredNetworks({}));
  owner = await makeUser();
  s = await createSignerViaDkg(owner.cookie, 31337, "Metrics bot");
  agent = new CountersignAgent({ baseUrl: "http://localhost:3000", apiKey: s.apiKey, share: s.agentShare, identity: s.agentIdentity, profile: FAST_TEST, fetch: appFetch });
}, 600_000);

const SESSION = { method: "POST", route: "/api/v1/sign-message/session" };

describe("GET /metrics", () => {
  it("is valid exposition text with the default process metrics and every Countersign family", async () => {
    const m = await scrape();
    expect(family(m, "process_cpu_user_seconds_total")?.type).toBe("COUNTER");
    expect(family(m, "nodejs_eventloop_lag_seconds")?.type).toBe("GAUGE");
    for (const name of ["countersign_http_requests_total", "countersign_signing_sessions_started_total", "countersign_ceremonies_ended_total", "countersign_policy_decisions_total", "countersign_push_deliveries_total"]) {
      expect(family(m, name)?.type, name).toBe("COUNTER");
    }
    for (const name of ["countersign_prime_pool_primes", "countersign_db_pool_connections", "countersign_mpc_backend"]) expect(family(m, name)?.type, name).toBe("GAUGE");
    // The backend the request handlers compute on: the process's selection, one sample.
    expect(family(m, "countersign_mpc_backend")?.metrics.map((x) => [x.labels?.backend, x.value])).toEqual([[getBackend().name, "1"]]);
    expect(family(m, "countersign_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    // Key generation through the API already ran: the DKG ceremony completed.
    expect(value(m, "countersign_ceremonies_ended_total", { kind: "dkg", outcome: "completed" })).toBe(1);
  });

  it("a completed signing session moves started, completed, allow and the per-route request counters and histogram", async () => {
    const before = await scrape();
    const signed = await agent.signMessage("metrics hello");
    expect(signed.signature).toMatch(/^0x[0-9a-f]{130}$/);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);

    expect(delta("countersign_signing_sessions_started_total", { mode: "signer_server", status: "open" })).toBe(1);
    expect(delta("countersign_signing_sessions_started_total", { status: "pending_approval" })).toBe(0);
    expect(delta("countersign_ceremonies_ended_total", { kind: "sign", outcome: "completed" })).toBe(1);
    expect(delta("countersign_ceremonies_ended_total", { kind: "sign", outcome: "aborted" })).toBe(0);
    expect(delta("countersign_policy_decisions_total", { outcome: "allow" })).toBe(1);
    expect(delta("countersign_policy_decisions_total", { outcome: "deny" })).toBe(0);

    expect(delta("countersign_http_requests_total", { ...SESSION, status_class: "2xx" })).toBe(1);
    expect(delta("countersign_http_requests_total", { method: "POST", route: "/api/v1/sign/round", status_class: "2xx" })).toBeGreaterThanOrEqual(1);
    expect(delta("countersign_http_requests_total", { method: "POST", route: "/api/v1/sign-message/complete", status_class: "2xx" })).toBe(1);
    const h0 = histogram(before, "countersign_http_request_duration_seconds", { ...SESSION, status_class: "2xx" });
    const h1 = histogram(after, "countersign_http_request_duration_seconds", { ...SESSION, status_class: "2xx" })!;
    expect(h1.count - (h0?.count ?? 0)).toBe(1);
    expect(h1.sum).toBeGreaterThan(h0?.sum ?? 0);
    const les = Object.entries(h1.buckets).map(([le, c]) => [le === "+Inf" ? Infinity : Number(le), c] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < les.length; i++) expect(les[i]![1]).toBeGreaterThanOrEqual(les[i - 1]![1]);
    expect(les.at(-1)).toEqual([Infinity, h1.count]);
  });

  it("labels by route template and status class only: no raw path, signer id, key or address", async () => {
    const m = await scrape();
    const text = (await call(metricsRoute, "GET", "/metrics")).text;
    for (const secretish of [s.signer.id, s.signer.address, s.signer.address.toLowerCase(), s.apiKey, owner.user.id, owner.organizationId]) expect(text).not.toContain(secretish);
    const samples = family(m, "countersign_http_requests_total")!.metrics;
    const routes = new Set(samples.map((d) => d.labels?.route));
    expect(routes.has("/api/v1/sign-message/session")).toBe(true);
    for (const r of routes) expect(r).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const classes = new Set(samples.map((d) => d.labels?.status_class));
    for (const c of classes) expect(c).toMatch(/^[1-5]xx$/);
  });

  it("an aborted session counts as aborted, a 4xx answer in its status class", async () => {
    const before = await scrape();
    const me = agentIdentityOf(s); // the registered identity: the round is taken, then fails its signature check
    const opened = await call(messageSession, "POST", "/api/v1/sign-message/session", { apiKey: s.apiKey, body: { message: "abort me", clientNonce: nonce(), identityKey: me.publicKey } });
    expect(opened.status).toBe(201);
    const session = opened.json as { sessionId: string; sid: string; messageHash: string; signers: number[]; identities: Record<string, string> };
    // Messages signed under an identity other than the one announced: the server aborts, blaming us.
    const party = localSignParty({ share: s.agentShare, signers: session.signers, messageHash: session.messageHash.slice(2), sid: session.sid, profile: FAST_TEST, identities: session.identities, identity: newIdentityKey() });
    const r = await call(signRound, "POST", "/api/v1/sign/round", { apiKey: s.apiKey, body: { sessionId: session.sessionId, seq: 1, messages: party.start() as Message[], after: "0" } });
    expect(r.json.status).toBe("aborted");
    const bad = await call(messageSession, "POST", "/api/v1/sign-message/session", { apiKey: s.apiKey, body: { message: 42, clientNonce: nonce() } });
    expect(bad.status).toBe(400);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
    expect(delta("countersign_ceremonies_ended_total", { kind: "sign", outcome: "aborted" })).toBe(1);
    expect(delta("countersign_ceremonies_ended_total", { kind: "sign", outcome: "completed" })).toBe(0);
    expect(delta("countersign_signing_sessions_started_total", { mode: "signer_server", status: "open" })).toBe(1);
    expect(delta("countersign_http_requests_total", { ...SESSION, status_class: "4xx" })).toBe(1);
    expect(delta("countersign_http_requests_total", { ...SESSION, status_class: "2xx" })).toBe(1);
  });

  it("policy decisions count deny and require_approval; a parked session that a human rejects ends as rejected", async () => {
    await activateRules(owner.organizationId, s.signer.id, [
      { id: "no-typed-data", when: { field: "kind", op: "eq", value: "typed_data" }, action: "deny" },
      { id: "messages-need-a-human", when: { field: "kind", op: "eq", value: "message" }, action: "require_approval" },
    ]);
    const before = await scrape();
    const typedData = { domain: { name: "Metrics", chainId: 31337 }, types: { Hello: [{ name: "who", type: "string" }] }, primaryType: "Hello", message: { who: "world" } } as const;
    await expect(agent.signTypedData(typedData)).rejects.toBeInstanceOf(PolicyViolationError);
    const parked = await call(messageSession, "POST", "/api/v1/sign-message/session", { apiKey: s.apiKey, body: { message: "park me", clientNonce: nonce(), identityKey: agentIdentityOf(s).publicKey } });
    expect(parked.status).toBe(202);
    const mid = await scrape();
    const rejected = await call(rejectRequest, "POST", "/x", { cookie: owner.cookie, params: { id: parked.json.signingRequestId } });
    expect(rejected.status).toBe(200);
    const after = await scrape();
    const delta = (a: typeof before, b: typeof before, name: string, labels: Record<string, string>) => value(b, name, labels) - value(a, name, labels);
    expect(delta(before, mid, "countersign_policy_decisions_total", { outcome: "deny" })).toBe(1);
    expect(delta(before, mid, "countersign_policy_decisions_total", { outcome: "require_approval" })).toBe(1);
    expect(delta(before, mid, "countersign_policy_decisions_total", { outcome: "allow" })).toBe(0);
    expect(delta(before, mid, "countersign_signing_sessions_started_total", { mode: "signer_server", status: "pending_approval" })).toBe(1);
    expect(delta(before, mid, "countersign_signing_sessions_started_total", { status: "open" })).toBe(0);
    expect(delta(before, mid, "countersign_ceremonies_ended_total", { kind: "sign", outcome: "rejected" })).toBe(0);
    expect(delta(mid, after, "countersign_ceremonies_ended_total", { kind: "sign", outcome: "rejected" })).toBe(1);
  });

  it("does not count or log the probes (/metrics, /health, /ready)", async () => {
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "info";
    resetEnvCache();
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      writes.push(String(chunk));
      return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      await call(healthRoute, "GET", "/health");
      await call(readyRoute, "GET", "/ready");
      await call(metricsRoute, "GET", "/metrics");
      const logged = writes.filter((w) => w.includes('"msg":"request"'));
      expect(logged).toEqual([]);
      await call(messageSession, "POST", "/api/v1/sign-message/session", { apiKey: s.apiKey, body: { message: 7, clientNonce: nonce() } });
      expect(writes.filter((w) => w.includes('"msg":"request"') && w.includes("/api/v1/sign-message/session"))).toHaveLength(1);
    } finally {
      process.stdout.write = original;
      process.env.LOG_LEVEL = level;
      resetEnvCache();
    }
    const m = await scrape();
    for (const route of ["/metrics", "/health", "/ready", "/api/health"]) expect(value(m, "countersign_http_requests_total", { route })).toBe(0);
  });

  it("reads the prime pool size per prime size and the database pool from live state at each scrape", async () => {
    const primes = fixtureSafePrimes(1024);
    const before = await scrape();
    expect(value(before, "countersign_prime_pool_primes", { bits: "1024" })).toBe(await poolSize(db(), 1024));
    await addPrime(db(), 1024, primes[0]!);
    await addPrime(db(), 1024, primes[1]!);
    const after = await scrape();
    expect(value(after, "countersign_prime_pool_primes", { bits: "1024" })).toBe(await poolSize(db(), 1024));
    expect(value(after, "countersign_prime_pool_primes", { bits: "1024" }) - value(before, "countersign_prime_pool_primes", { bits: "1024" })).toBe(2);
    // The tests run the app's pool at DATABASE_POOL_MAX=1.
    expect(value(after, "countersign_db_pool_connections", { state: "max" })).toBe(1);
    const total = value(after, "countersign_db_pool_connections", { state: "total" });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(1);
    expect(value(after, "countersign_db_pool_connections", { state: "idle" })).toBeLessThanOrEqual(total);
  });

  describe("push deliveries by result", () => {
    let receiver: Receiver;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
    });

    it("counts sent, retry, failed and gone", async () => {
      const device = async (name: string) => {
        const keys = browserKeys();
        const path = `/push/${name}-${Math.random().toString(36).slice(2)}`;
        receiver.keysFor.set(path, keys);
        const d = await registerDevice(db(), { organizationId: owner.organizationId, userId: owner.user.id, body: { subscription: { endpoint: receiver.url + path, keys: { p256dh: keys.p256dh, auth: keys.auth.toString("base64url") } } } });
        return { d, path };
      };
      const ok = await device("ok");
      const busy = await device("busy");
      const bad = await device("bad");
      const gone = await device("gone");
      receiver.script.set(busy.path, [503]);
      receiver.script.set(bad.path, [400]);
      receiver.script.set(gone.path, [410]);
      const before = await scrape();
      const rows = await enqueueDeliveries(db(), { organizationId: owner.organizationId, devices: [ok.d, busy.d, bad.d, gone.d], payload: { title: "t", body: "b", url: "/", notificationId: "metrics-1", requestId: "r" } as never });
      const results = await processDueDeliveries(db(), { agent: receiver.agent, ids: rows.map((r) => r.id) });
      expect(results.map((r) => r.status).sort()).toEqual(["failed", "gone", "pending", "sent"]);
      const after = await scrape();
      for (const result of ["sent", "retry", "failed", "gone"]) {
        expect(value(after, "countersign_push_deliveries_total", { result }) - value(before, "countersign_push_deliveries_total", { result }), result).toBe(1);
      }
    });
  });

  describe("METRICS_TOKEN", () => {
    afterEach(() => {
      delete process.env.METRICS_TOKEN;
      resetEnvCache();
    });

    it("when set, answers 401 without the bearer token or with a wrong one, 200 with it", async () => {
      process.env.METRICS_TOKEN = "scrape-token-0123456789";
      resetEnvCache();
      const none = await call(metricsRoute, "GET", "/metrics");
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(none.text).not.toContain("countersign_");
      expect((await call(metricsRoute, "GET", "/metrics", { headers: { authorization: "Bearer scrape-token-012345678" } })).status).toBe(401);
      expect((await call(metricsRoute, "GET", "/metrics", { headers: { authorization: "scrape-token-0123456789" } })).status).toBe(401);
      const ok = await call(metricsRoute, "GET", "/metrics", { headers: { authorization: "Bearer scrape-token-0123456789" } });
      expect(ok.status).toBe(200);
      expect(family(await parse(ok.text), "countersign_http_requests_total")?.type).toBe("COUNTER");
    });

    it("when unset, /metrics is open", async () => {
      expect((await call(metricsRoute, "GET", "/metrics")).status).toBe(200);
    });
  });
});
