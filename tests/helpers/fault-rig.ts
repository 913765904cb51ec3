import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { issueCredential } from "@/lib/auth/credentials";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { sealSecret } from "@/lib/keystore";
import { encodeKeyShare, type KeyShare } from "@/lib/mpc";
import { addressOf } from "@/lib/signing/signers";
import { startPostgres, type PostgresServer } from "@/tools/lib/postgres";
import { dealtKeyShares } from "./dealt-shares";

/**
 * The fault rig (tests/faults, and the load figures of `npm run bench`): a PostgreSQL cluster of its
 * own — it is stopped and started, so never a shared one —, app instances as child processes over
 * plain node:http (tools/api-server.ts) that can be killed, and a signer. No test-runner imports.
 */
export type OwnPostgres = { server: PostgresServer; url: string };

/** A throwaway cluster with a migrated database `countersign`; points this process's db() at it. */
export async function startOwnPostgres(opts: { poolMax?: number } = {}): Promise<OwnPostgres> {
  const server = await startPostgres();
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  await c.query("CREATE DATABASE countersign");
  await c.end();
  const url = new URL(server.url);
  url.pathname = "/countersign";
  await migrate(url.toString());
  process.env.DATABASE_URL = url.toString();
  process.env.DATABASE_POOL_MAX = String(opts.poolMax ?? 4);
  process.env.COUNTERSIGN_MPC_PROFILE = "fast-test";
  return { server, url: url.toString() };
}

export type AppInstance = { baseUrl: string; process: ChildProcess; exited: Promise<number | null>; stop(): Promise<void> };

/** Another app instance on `databaseUrl` (tools/api-server.ts); resolves once it listens. */
export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<AppInstance> {
  const child = spawn(process.execPath, ["--import", "tsx", "tools/api-server.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: "10", COUNTERSIGN_MPC_PROFILE: "fast-test", NODE_ENV: "test", LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`app instance exited (${code}) before listening`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Until `check` passes (it throws otherwise), at most `timeoutMs`; returns its last value. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A request and how long its answer took (ms). */
export async function timed(url: string, init: RequestInit = {}): Promise<{ status: number; ms: number; body: unknown; headers: Headers }> {
  const t = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, ms: performance.now() - t, body, headers: res.headers };
}

/**
 * An active Signer+Server signer from dealt shares over fixture primes (fast-test sizes), stored as
 * key generation stores it (the server's share sealed) with its signer API key: the fault tests need
 * a signer, not a key generation (tests/signing covers that). Without a registered long-term agent
 * identity, so the SDK signs each session with a fresh one.
 */
export async function dealtSigner(organizationId: string, chainId = 31337): Promise<{ signer: { id: string; address: `0x${string}` }; apiKey: string; agentShare: KeyShare }> {
  const shares = dealtKeyShares();
  const address = addressOf(shares[0]!.core.publicKey) as `0x${string}`;
  const signer = await db().signer.create({ data: { organizationId, name: "Fault-test signer", chainId, status: "active", publicKey: shares[0]!.core.publicKey, address } });
  await db().signerShare.create({ data: { signerId: signer.id, sealed: sealSecret(new TextEncoder().encode(encodeKeyShare(shares[1]!)), `signer-share:${signer.id}`) as never, public: {} } });
  const { secret: apiKey } = await issueCredential(db(), { organizationId, kind: "signer_key", name: "fault tests", scopes: ["sign"], subjectType: "signer", subjectId: signer.id });
  return { signer: { id: signer.id, address }, apiKey, agentShare: shares[0]! };
}
