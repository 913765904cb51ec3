/**
 * `npm start`: everything a fresh clone needs, in one process tree.
 *   1. a data directory outside the source tree (COUNTERSIGN_DATA_DIR, default ~/.local/share/countersign)
 *   2. a master key (a local key file is created on first run; production supplies its own)
 *   3. PostgreSQL: DATABASE_URL if set, else embedded PGlite persisted in the data directory
 *   4. migrations
 *   5. a local EVM devnet (anvil) with the Safe v1.5 contracts and the agent identity registry
 *      (recorded in the network registry), unless COUNTERSIGN_DEVNET=off
 *      and ERC-4337 v0.7 (EntryPoint, simple account factory, verifying paymaster), then the Alto bundler
 *      (@pimlico/alto) as a child process against it, unless COUNTERSIGN_BUNDLER=off or BUNDLER_RPC_URL is set
 *   5b. with TURNKEY_DEV_SERVER=on and no TURNKEY_API_BASE_URL, the Turnkey development stand-in (tools/turnkey-dev)
 *   6. a production build when the sources changed since the last one, then tools/server.mjs (Next's
 *      handler behind our node:http server, which stamps each request with the socket's address)
 * `npm run dev` does the same with Next's development server.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { ensureLocalMasterKeyFile } from "@/lib/keystore/master-key";
import { defaultDataDir } from "@/lib/config/env";
import { appBuildIsCurrent, buildApp } from "./lib/app-build";

const dev = process.argv.includes("--dev");
const root = process.cwd();

function say(msg: string) {
  process.stdout.write(`[countersign] ${msg}\n`);
}

if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const dataDir = path.resolve(process.env.COUNTERSIGN_DATA_DIR ?? defaultDataDir());
mkdirSync(dataDir, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), COUNTERSIGN_DATA_DIR: dataDir };

const cleanups: Array<() => Promise<void>> = [];
async function shutdown(code: number) {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  process.exit(code);
}

async function main() {
  if (!env.COUNTERSIGN_MASTER_KEY && !env.COUNTERSIGN_MASTER_KEY_FILE) {
    const { file, created } = await ensureLocalMasterKeyFile(dataDir);
    env.COUNTERSIGN_MASTER_KEY_FILE = file;
    if (created) say(`created a local master key at ${file} (development only: production must supply COUNTERSIGN_MASTER_KEY or COUNTERSIGN_MASTER_KEY_FILE from a secret manager)`);
  }

  let embedded: EmbeddedDatabase | undefined;
  if (!env.DATABASE_URL) {
    embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir, "pgdata") });
    cleanups.push(() => embedded!.stop());
    env.DATABASE_URL = embedded.url;
    env.DATABASE_POOL_MAX ??= "1";
    env.COUNTERSIGN_DEV_OUTBOX ??= "on";
    say(`embedded PostgreSQL (PGlite) in ${path.join(dataDir, "pgdata")}, served on 127.0.0.1:${embedded.port}`);
  }
  const m = await migrate(env.DATABASE_URL);
  say(m.applied.length ? `applied migrations: ${m.applied.join(", ")}` : "database schema is up to date");

  let devnetStarted: { fundedAccounts: { privateKey: `0x${string}` }[] } | undefined;
  if ((env.COUNTERSIGN_DEVNET ?? "on") !== "off" && !env.DEVNET_RPC_URL) {
    const { startDevnet } = await import("@/lib/chain/devnet");
    const wanted = Number(env.DEVNET_PORT ?? 8545);
    const devnet = await startDevnet({ port: wanted, dataDir }).catch(() => startDevnet({ port: 0, dataDir }));
    cleanups.push(() => devnet.stop());
    env.DEVNET_RPC_URL = devnet.rpcUrl;
    env.DEVNET_CHAIN_ID = String(devnet.chainId);
    const deploy = await import("@/lib/safe/deploy").catch(() => null);
    if (deploy && "deploySafeContracts" in deploy) await (deploy.deploySafeContracts as (url: string) => Promise<unknown>)(devnet.rpcUrl);
    devnetStarted = devnet;
    const funded = devnet.fundedAccounts[0];
    say(`local devnet (anvil) at ${devnet.rpcUrl}, chain ${devnet.chainId}; funded dev account ${funded?.address ?? "?"} (its key is the public test mnemonic's: never use it elsewhere)`);
  }

  if (env.TURNKEY_DEV_SERVER === "on" && !env.TURNKEY_API_BASE_URL) {
    // The Turnkey development stand-in (tools/turnkey-dev), in memory: Turnkey itself is unreachable here.
    if (env.COUNTERSIGN_MASTER_KEY_FILE && !process.env.COUNTERSIGN_MASTER_KEY) process.env.COUNTERSIGN_MASTER_KEY_FILE = env.COUNTERSIGN_MASTER_KEY_FILE;
    const { startTurnkeyStandIn } = await import("./turnkey-dev/main");
    const standIn = await startTurnkeyStandIn({ port: Number(env.TURNKEY_DEV_PORT ?? 0) });
    cleanups.push(() => standIn.server.close());
    Object.assign(env, standIn.env);
    say(`Turnkey development stand-in (not Turnkey; in memory) at ${standIn.url}, parent organization ${standIn.organizationId}`);
  }

  {
    const { configuredNetworks, syncNetworks } = await import("@/lib/chain/network-registry");
    process.env.DATABASE_URL = env.DATABASE_URL;
    const { db, disconnectDb } = await import("@/lib/db/client");
    const { celoNetworksFrom } = await import("@/lib/identity/config");
    const { recordIdentityRegistry } = await import("@/lib/identity/registry");
    const celo = celoNetworksFrom(env);
    const networks = [...configuredNetworks(env), ...celo.map((c) => c.network)];
    await syncNetworks(db(), networks);
    for (const c of celo) await recordIdentityRegistry(db(), c.network.chainId, c.registry);
    if (devnetStarted) {
      // The agent identity registry (seed 003) on the devnet, owned by its first funded account,
      // with this server's local proof provider authorised; its address goes into the network registry.
      if (env.COUNTERSIGN_MASTER_KEY_FILE && !process.env.COUNTERSIGN_MASTER_KEY) process.env.COUNTERSIGN_MASTER_KEY_FILE = env.COUNTERSIGN_MASTER_KEY_FILE;
      const { localDevnetNetwork } = await import("@/lib/chain/networks");
      const { privateKeyToAccount } = await import("viem/accounts");
      const { setUpDevnetIdentity } = await import("@/lib/identity/devnet");
      const network = localDevnetNetwork(env.DEVNET_RPC_URL, Number(env.DEVNET_CHAIN_ID));
      const id = await setUpDevnetIdentity(db(), network, privateKeyToAccount(devnetStarted.fundedAccounts[0]!.privateKey));
      say(`agent identity registry at ${id.registry} (${id.deployed ? "deployed" : "already there"}); local proof provider ${id.provider} (mock proofs, devnet only)`);
      // The demo agent that signs /api/demo/agent-to-agent's answers (issue #17), registered by the local provider.
      const { identityChain } = await import("@/lib/identity/registry");
      const { setUpDemoAgent } = await import("@/lib/demo/demo-agent");
      const demo = await setUpDemoAgent(db(), await identityChain(db(), network.chainId));
      say(`demo agent ${demo.address} (agent ${demo.agentId}${demo.created ? ", registered" : ""})`);
      // The demo verifier of /api/demo/chain-verify (issue #17): reads the registry, the server's relayer is its Ed25519 attester.
      const { setUpDevnetDemoVerifier } = await import("@/lib/demo/verifier-setup");
      const dv = await setUpDevnetDemoVerifier(db(), network, privateKeyToAccount(devnetStarted.fundedAccounts[0]!.privateKey));
      say(`demo verifier at ${dv.verifier} (${dv.deployed ? "deployed" : "already there"}); relayer ${dv.relayer}`);
      // ERC-4337 (lib/aa): EntryPoint v0.7, simple account factory, verifying paymaster; then the Alto bundler against them.
      const { setUpDevnetAa } = await import("@/lib/aa/deploy");
      const aa = await setUpDevnetAa(db(), network, privateKeyToAccount(devnetStarted.fundedAccounts[0]!.privateKey));
      say(`ERC-4337: EntryPoint ${aa.entryPoint}, account factory ${aa.accountFactory}, passkey account factory ${aa.passkeyFactory}, verifying paymaster ${aa.paymaster}${aa.paymasterDeployed ? " (deployed)" : ""}`);
      if ((env.COUNTERSIGN_BUNDLER ?? "on") !== "off" && !env.BUNDLER_RPC_URL) {
        const { startBundler } = await import("@/lib/aa/bundler-process");
        const accounts = devnetStarted.fundedAccounts;
        const options = {
          rpcUrl: env.DEVNET_RPC_URL!,
          entryPoint: aa.entryPoint,
          executorPrivateKey: accounts[accounts.length - 2]!.privateKey,
          utilityPrivateKey: accounts[accounts.length - 1]!.privateKey,
        };
        // Like anvil: the configured port, else (taken) any free one.
        const bundler = await startBundler({ ...options, port: Number(env.BUNDLER_PORT ?? 4337) }).catch(() => startBundler({ ...options, port: 0 }));
        cleanups.push(() => bundler.stop());
        env.BUNDLER_RPC_URL = bundler.rpcUrl;
        say(`ERC-4337 bundler (Alto, @pimlico/alto) at ${bundler.rpcUrl} for chain ${network.chainId}`);
      }
    }
    await disconnectDb();
    say(`networks: ${networks.filter((n) => n.enabled).map((n) => `${n.name} (${n.chainId})`).join(", ") || "none enabled"}`);
  }

  if (!dev && !appBuildIsCurrent(root)) {
    say("building the app (first start, or the sources changed) …");
    if (!(await buildApp(root, env))) throw new Error("next build failed");
  }

  // The server process drains on SIGTERM itself (lib/ops/drain.ts, installed by instrumentation.ts):
  // /ready turns 503, in-flight requests finish, then it exits; we stop the database after that.
  if (!dev) env.NEXT_MANUAL_SIG_HANDLE = "true";
  // Our own node:http server in front of Next's handler (tools/server.mjs), not `next start`: it is
  // the one that stamps the socket's address on each request (lib/http/client-address.ts).
  const child = spawn(process.execPath, [path.join(root, "tools", "server.mjs"), ...(dev ? ["--dev"] : [])], { stdio: "inherit", env: { ...env, HOST: host, NODE_ENV: dev ? "development" : "production" } });
  say(`Countersign on http://localhost:${port}`);
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch(async (err) => {
  process.stderr.write(`[countersign] start failed: ${(err as Error).message}\n`);
  await shutdown(1);
});
