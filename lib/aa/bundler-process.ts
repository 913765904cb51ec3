/**
 * The Alto bundler (`@pimlico/alto`, Pimlico's TypeScript ERC-4337 bundler) as a child process
 * against a local devnet, like anvil (lib/chain/devnet.ts): node only, for `npm start` and the
 * tests. Resolves once it answers `eth_supportedEntryPoints` with the EntryPoint it was given.
 *
 * Local-devnet settings: `--safe-mode false` (the ERC-7562 tracer rules need a node with
 * `debug_traceCall` JS tracers, which anvil does not have), one-second bundling, and the
 * simulations contract deployed by Alto itself on start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import type { Address, Hex } from "viem";

export type BundlerOptions = {
  rpcUrl: string;
  entryPoint: Address;
  /** Sends the bundles (pays their gas; refunded by the EntryPoint's beneficiary payout). */
  executorPrivateKey: Hex;
  /** Deploys the simulations contract and refills executors. */
  utilityPrivateKey: Hex;
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  startupTimeoutMs?: number;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
};

export type Bundler = { rpcUrl: string; port: number; process: ChildProcess; output(): string; stop(): Promise<void> };

export class BundlerStartError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}\n${output.slice(-4000)}`);
    this.name = "BundlerStartError";
  }
}

export function resolveAltoCli(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its index (esm/index.js); the CLI sits beside it.
  return path.join(path.dirname(require.resolve("@pimlico/alto")), "cli", "alto.js");
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function supportedEntryPoints(url: string): Promise<string[] | undefined> {
  try {
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_supportedEntryPoints", params: [] }),
      signal: AbortSignal.timeout(1000),
    });
    if (!r.ok) return undefined;
    const body = (await r.json()) as { result?: unknown };
    return Array.isArray(body.result) ? (body.result as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export async function startBundler(o: BundlerOptions): Promise<Bundler> {
  const host = o.host ?? "127.0.0.1";
  const port = o.port && o.port > 0 ? o.port : await freePort(host);
  const args = [
    resolveAltoCli(),
    "--entrypoints", o.entryPoint,
    "--executor-private-keys", o.executorPrivateKey,
    "--utility-private-key", o.utilityPrivateKey,
    "--rpc-url", o.rpcUrl,
    "--port", String(port),
    "--safe-mode", "false",
    "--deploy-simulations-contract", "true",
    "--max-bundle-interval", "1000",
    "--utility-wallet-monitor", "false",
    "--log-level", o.logLevel ?? "warn",
  ];
  // Alto 0.0.20 has no host option: it listens on all interfaces (README says so). Its executor keys are the devnet's public test keys.
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
  let out = "";
  const keep = (c: Buffer) => {
    out = (out + c.toString("utf8")).slice(-16_384);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const onHostExit = () => {
    if (!hasExited()) child.kill("SIGTERM");
  };
  process.on("exit", onHostExit);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off("exit", onHostExit);
      if (hasExited()) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    })());

  const rpcUrl = `http://${host}:${port}`;
  const deadline = Date.now() + (o.startupTimeoutMs ?? 60_000);
  for (;;) {
    if (hasExited()) throw new BundlerStartError(`alto exited during startup (code ${child.exitCode})`, out);
    const eps = await supportedEntryPoints(rpcUrl);
    if (eps) {
      if (!eps.some((e) => e.toLowerCase() === o.entryPoint.toLowerCase())) {
        await stop();
        throw new BundlerStartError(`the bundler on ${rpcUrl} serves ${eps.join(", ")}, not ${o.entryPoint}`, out);
      }
      return { rpcUrl, port, process: child, output: () => out, stop };
    }
    if (Date.now() > deadline) {
      await stop();
      throw new BundlerStartError(`alto did not answer on ${rpcUrl} in time`, out);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
