import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium against the real product: `npm start` (production build,
 * embedded PostgreSQL in a fresh data directory, local devnet) on port 3210.
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
const dataDir = (process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "countersign-e2e-")));

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  // E2E_WORKERS=2 spreads spec files over two workers (each signs up its own user and funds from its
  // own devnet account). One by default: on two cores, the signers spec's 15 s waits failed twice
  // beside the signer wizard's in-browser key generation.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 1),
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "npx tsx tools/start.ts",
    url: `${baseURL}/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      COUNTERSIGN_ORIGIN: baseURL,
      COUNTERSIGN_DATA_DIR: dataDir,
      DEVNET_PORT: "0",
      DATABASE_URL: "",
      DEVNET_RPC_URL: "",
      LOG_LEVEL: "warn",
      // The Turnkey development stand-in (tools/turnkey-dev) on a known port, for e2e/turnkey.spec.ts's agent.
      TURNKEY_DEV_SERVER: "on",
      TURNKEY_DEV_PORT: process.env.E2E_TURNKEY_PORT ?? "3219",
      // Foundation flows need no server primes; keep both cores for the browser and the app.
      COUNTERSIGN_PRIME_POOL_TARGET: "0",
      COUNTERSIGN_NONCE_POOL_TARGET: "0",
      // End-to-end key generation uses the fast test profile (1024-bit primes); never in production.
      COUNTERSIGN_MPC_PROFILE: "fast-test",
      COUNTERSIGN_ALLOW_FAST_TEST_PROFILE: "1",
      // The approvals e2e registers a device whose endpoint is a loopback address.
      PUSH_ALLOW_PRIVATE_ENDPOINTS: "1",
      // A price source for the overview's total value (none by default): the devnet's ETH at $2000.
      COUNTERSIGN_PRICES_USD: "31337:native=2000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
