/**
 * The drain on SIGTERM (lib/ops/drain.ts): /ready turns 503 at once, the listener closes after the
 * delay (new connections are refused), in-flight requests finish, then the process exits 0; past
 * the timeout the remaining connections are cut. Against real HTTP servers: one in this process
 * that serves the app's own /ready route handler, and one in a child process that gets SIGTERM.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GET as ready } from "@/app/ready/route";
import { drain, listeningHttpServers, resetDrain } from "@/lib/ops/drain";
import { isDraining, resetLifecycle } from "@/lib/ops/lifecycle";
import { useTestDatabase } from "../helpers/db";

useTestDatabase();

type Answer = { status: number; body: string; at: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, at: performance.now() }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The app's /ready handler and a slow endpoint behind a real node:http server. */
async function appServer(): Promise<{ server: Server; port: number; finished: number[] }> {
  const finished: number[] = [];
  const server = createServer(async (req, res) => {
    res.on("finish", () => finished.push(performance.now()));
    const url = new URL(req.url ?? "/", "http://localhost:3000");
    if (url.pathname === "/ready") {
      const r = await ready(new Request(url));
      res.writeHead(r.status, { "content-type": "application/json" }).end(await r.text());
      return;
    }
    await sleep(Number(url.searchParams.get("ms") ?? 0));
    res.end("done");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, finished };
}

afterEach(() => {
  resetDrain();
  resetLifecycle();
});

describe("drain", () => {
  it("turns /ready to 503 at once, keeps serving through the delay, refuses new connections after, lets in-flight requests finish, then exits 0", async () => {
    const { server, port, finished } = await appServer();
    expect(listeningHttpServers()).toContain(server);
    expect((await get(port, "/ready")).status).toBe(200);

    const inflight = get(port, "/slow?ms=700");
    await sleep(50);
    let exitedAt = 0;
    const exits: number[] = [];
    let backgroundStopped = 0;
    const drained = drain({ servers: () => [server], delayMs: 250, timeoutMs: 5000, onDrain: () => backgroundStopped++, exit: (code) => { exits.push(code); exitedAt = performance.now(); } });
    expect(isDraining()).toBe(true);
    expect(backgroundStopped).toBe(1); // background work stops as the drain begins

    const during = await get(port, "/ready");
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toMatchObject({ status: "draining", checks: { database: { ok: true }, migrations: { ok: true }, keyStore: { ok: true } } });
    expect(exits).toEqual([]);

    await sleep(300); // past the delay: the listener is closed
    await expect(get(port, "/ready")).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(exits).toEqual([]); // the slow request is still running

    const slow = await inflight;
    expect(slow).toMatchObject({ status: 200, body: "done" });
    await drained;
    expect(exits).toEqual([0]);
    // The server had sent the whole slow response before it exited.
    expect(exitedAt).toBeGreaterThanOrEqual(Math.max(...finished));
    expect(server.listening).toBe(false);
  });

  it("a second signal does not start a second drain", async () => {
    const { server } = await appServer();
    const exits: number[] = [];
    const a = drain({ servers: () => [server], delayMs: 0, timeoutMs: 1000, exit: (c) => exits.push(c) });
    const b = drain({ servers: () => [server], delayMs: 0, timeoutMs: 1000, exit: (c) => exits.push(c) });
    expect(b).toBe(a);
    await a;
    expect(exits).toEqual([0]);
  });

  it("cuts requests still running at the timeout and exits", async () => {
    const { server, port } = await appServer();
    const stuck = get(port, "/slow?ms=60000").catch((e: NodeJS.ErrnoException) => e);
    await sleep(50);
    const started = performance.now();
    const exits: number[] = [];
    await drain({ servers: () => [server], delayMs: 0, timeoutMs: 300, exit: (c) => exits.push(c) });
    const took = performance.now() - started;
    expect(exits).toEqual([0]);
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5000);
    expect(await stuck).toMatchObject({ code: "ECONNRESET" });
  });
});

describe("SIGTERM on a real server process", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("drains: /ready 503 during the delay, the in-flight request completes, cleanup runs, exit code 0", async () => {
    child = spawn(process.execPath, ["--import", "tsx", "tests/ops/fixtures/drain-server.ts"], { env: { ...process.env, DELAY_MS: "400", TIMEOUT_MS: "10000", LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c));
    const exited = new Promise<number | null>((r) => child!.on("exit", (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (!/listening (\d+)/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${out}`);
      await sleep(50);
    }
    const port = Number(/listening (\d+)/.exec(out)![1]);
    expect((await get(port, "/ready")).status).toBe(200);

    const inflight = get(port, "/slow?ms=900");
    await sleep(100);
    child.kill("SIGTERM");
    await sleep(100);
    expect(await get(port, "/ready")).toMatchObject({ status: 503, body: "draining" });
    child.kill("SIGTERM"); // repeated signals are ignored while draining
    expect(await inflight).toMatchObject({ status: 200, body: "done" });
    expect(await exited).toBe(0);
    expect(out).toMatch(/"msg":"draining: \/ready answers 503"/);
    expect(out.indexOf("cleanup")).toBeGreaterThan(out.indexOf("draining"));
    expect(out).toMatch(/"msg":"drained; exiting"/);
  });
});
