import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { resolveAnvilBinary } from "./anvil-binary";
import { DEV_ACCOUNT_BALANCE_ETH, DEV_ACCOUNT_COUNT, DEV_MNEMONIC, deriveDevAccounts, type FundedDevAccount } from "./dev-accounts";
import { DevnetStartError } from "./errors";

export const DEVNET_DEFAULT_CHAIN_ID = 31337;
export const DEVNET_DEFAULT_HOST = "127.0.0.1";
export const DEVNET_STATE_FILE_NAME = "anvil-state.json";

export interface DevnetOptions {
  /** TCP port; 0 or omitted picks a free one. */
  port?: number;
  /** Loopback by default: the devnet's keys are public, so it must not be reachable from other hosts. */
  host?: string;
  chainId?: number;
  /** When set, chain state is loaded from and saved to `<dataDir>/anvil-state.json`. */
  dataDir?: string;
  /** DEV ONLY. Defaults to the public test mnemonic; see DEV_MNEMONIC. */
  mnemonic?: string;
  accountCount?: number;
  accountBalanceEth?: number;
  /** With a dataDir, also save state every N seconds so a hard kill loses little. Default 5. */
  stateIntervalSeconds?: number;
  startupTimeoutMs?: number;
}

export interface Devnet {
  rpcUrl: string;
  chainId: number;
  host: string;
  port: number;
  process: ChildProcess;
  /** Path of the persisted state, when a dataDir was given. */
  stateFile: string | undefined;
  /** DEV ONLY accounts, funded at genesis, with their private keys. */
  fundedAccounts: FundedDevAccount[];
  /** Stops anvil (SIGTERM, which makes it write its state file), escalating to SIGKILL. Idempotent. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL_CHARS = 16_384;
// anvil prints this once its RPC socket is bound; with --port 0 it carries the port the OS chose.
const LISTENING_LINE = /Listening on (\S+):(\d+)/;

function buildArgs(options: DevnetOptions, host: string, port: number, chainId: number, stateFile: string | undefined): string[] {
  const args = [
    "--host", host,
    "--port", String(port),
    "--chain-id", String(chainId),
    "--mnemonic", options.mnemonic ?? DEV_MNEMONIC,
    "--accounts", String(options.accountCount ?? DEV_ACCOUNT_COUNT),
    "--balance", String(options.accountBalanceEth ?? DEV_ACCOUNT_BALANCE_ETH),
  ];
  if (stateFile) args.push("--state", stateFile, "--state-interval", String(options.stateIntervalSeconds ?? 5));
  return args;
}

/**
 * Starts a local anvil devnet and resolves once it has bound its port and answers `eth_chainId`
 * with the expected id. Port 0 (the default) lets the OS choose a free port, without a race.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const requestedPort = options.port ?? 0;
  const host = options.host ?? DEVNET_DEFAULT_HOST;
  const chainId = options.chainId ?? DEVNET_DEFAULT_CHAIN_ID;
  let stateFile: string | undefined;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    stateFile = join(options.dataDir, DEVNET_STATE_FILE_NAME);
  }

  const child = spawn(resolveAnvilBinary(), buildArgs(options, host, requestedPort, chainId, stateFile), {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  let boundPort: number | undefined;
  // Always drain both pipes (anvil logs every RPC call): a full pipe buffer would block it.
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout = (output.stdout + chunk).slice(-OUTPUT_TAIL_CHARS);
    if (boundPort === undefined) {
      const match = LISTENING_LINE.exec(output.stdout);
      if (match?.[2]) boundPort = Number(match[2]);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr = (output.stderr + chunk).slice(-OUTPUT_TAIL_CHARS);
  });
  // "close" rather than "exit": it fires only after stderr is fully read, so errors carry all of it.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  // If the host process exits without calling stop(), still take anvil down (SIGTERM lets it save state).
  const stopOnHostExit = () => {
    if (!hasExited()) child.kill("SIGTERM");
  };
  process.on("exit", stopOnHostExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off("exit", stopOnHostExit);
      if (hasExited()) return;
      child.kill("SIGTERM");
      const killTimer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await Promise.race([exited, spawnError]);
      clearTimeout(killTimer);
    })();
    return stopping;
  };

  const timeoutMs = options.startupTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const fail = async (message: string): Promise<never> => {
    await stop();
    throw new DevnetStartError(message, output.stderr, output.stdout);
  };

  const processEnded = Promise.race([
    exited.then(({ code, signal }) => `anvil exited during startup (code ${code}, signal ${signal})`),
    spawnError.then((err) => `anvil could not be spawned: ${err.message}`),
  ]);
  let endedReason: string | undefined;
  void processEnded.then((reason) => (endedReason = reason));

  // Probe only after our anvil reports its bound port, so a different node already listening on a
  // requested port is never mistaken for ours.
  let ready: { rpcUrl: string; port: number } | undefined;
  while (!ready) {
    if (endedReason !== undefined) return fail(endedReason);
    if (boundPort !== undefined) {
      const rpcUrl = rpcUrlFor(host, boundPort);
      const answered = await probeChainId(rpcUrl);
      if (answered !== undefined && answered !== chainId) return fail(`anvil answered chain id ${answered}, expected ${chainId}`);
      if (answered === chainId) ready = { rpcUrl, port: boundPort };
    }
    if (!ready && Date.now() >= deadline) {
      return fail(`anvil did not answer eth_chainId on ${host}:${boundPort ?? "(port not bound)"} within ${timeoutMs} ms`);
    }
    if (!ready) await Promise.race([sleep(POLL_INTERVAL_MS), processEnded]);
  }

  return {
    rpcUrl: ready.rpcUrl,
    chainId,
    host,
    port: ready.port,
    process: child,
    stateFile,
    fundedAccounts: deriveDevAccounts(options.mnemonic ?? DEV_MNEMONIC, options.accountCount ?? DEV_ACCOUNT_COUNT),
    stop,
  };
}

function rpcUrlFor(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Returns the node's chain id, or undefined while it is not (yet) answering. */
async function probeChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === "string" ? Number.parseInt(body.result, 16) : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
