import { homedir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { selfConfigFrom } from "@/lib/identity/self-provider";
import { parsePriceTable, PriceTableError } from "@/lib/prices/table";

/**
 * Server configuration, read once from the environment. `.env.example` documents every variable;
 * tests/system/config.test.ts keeps the two in step.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  COUNTERSIGN_ORIGIN: z.url().optional(),
  COUNTERSIGN_RP_ID: z.string().min(1).optional(),
  COUNTERSIGN_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Longest wait for a new database connection (also for a free one from the pool), then 503. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** PostgreSQL statement_timeout for every statement of the app; the client gives up 1 s later (a dead socket). */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(8000),
  COUNTERSIGN_MASTER_KEY: z.string().min(1).optional(),
  COUNTERSIGN_MASTER_KEY_FILE: z.string().min(1).optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  SESSION_MAX_AGE_SECONDS: z.coerce.number().int().min(300).default(60 * 60 * 12),
  SMTP_URL: z.string().min(1).optional(),
  /** Stripe webhook signing secret (whsec_…): turns billing and plan limits on. Unset: no limits (self-hosted). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default("Countersign <no-reply@localhost>"),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  COUNTERSIGN_DEVNET: z.enum(["on", "off"]).default("on"),
  DEVNET_PORT: z.coerce.number().int().min(0).max(65535).default(8545),
  DEVNET_RPC_URL: z.string().optional(),
  COUNTERSIGN_PRIME_POOL_TARGET: z.coerce.number().int().min(0).max(400).default(8),
  /** Signing sessions' worth of precomputed Paillier nonces kept per recently signing signer (lib/signing/nonce-pool.ts, computed on a worker thread); 0 disables. */
  COUNTERSIGN_NONCE_POOL_TARGET: z.coerce.number().int().min(0).max(50).default(2),
  /** Push endpoints on loopback/private networks: refused in production unless "1" (local receivers, e2e). */
  PUSH_ALLOW_PRIVATE_ENDPOINTS: z.enum(["0", "1"]).optional(),
  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Turnkey (seed 004's Turnkey mode, lib/turnkey): API base URL, parent organization id, and the provider's API key pair. */
  TURNKEY_API_BASE_URL: z.url().optional(),
  TURNKEY_ORGANIZATION_ID: z.string().min(1).optional(),
  TURNKEY_API_PUBLIC_KEY: z.string().regex(/^0[23][0-9a-fA-F]{64}$/, "a compressed P-256 public key (66 hex characters)").optional(),
  /** The API private key sealed under the master key (`npx tsx tools/turnkey-seal-key.ts`). */
  TURNKEY_API_PRIVATE_KEY_SEALED: z.string().min(1).optional(),
  /** npm start: run the Turnkey development stand-in (tools/turnkey-dev) when TURNKEY_API_BASE_URL is unset. */
  TURNKEY_DEV_SERVER: z.enum(["on", "off"]).default("off"),
  /** The stand-in's port (0: any free port). */
  TURNKEY_DEV_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** OTLP/HTTP collector (e.g. http://collector:4318): turns tracing on. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** On SIGTERM: seconds to keep serving (answering /ready 503) before closing the listener. */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(300).default(0),
  /** On SIGTERM: longest wait for in-flight requests after the listener closed, then exit anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** Agent tokens: a new signing key when the current one is older than this many days. */
  AGENT_TOKEN_KEY_ROTATION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Seed 003's demo chat (POST /api/demo/chat): an OpenAI-compatible API base (…/v1). Unset: 503 "Service not configured". */
  DEMO_CHAT_URL: z.url().optional(),
  DEMO_CHAT_MODEL: z.string().min(1).default("gpt-4o-mini"),
  DEMO_CHAT_API_KEY: z.string().min(1).optional(),
  /** ERC-4337 (lib/aa): the bundler /api/aa/bundler forwards to (`{chainId}` in the URL is replaced). npm start sets it to its local Alto. Unset: 503. */
  BUNDLER_RPC_URL: z.url().optional(),
  /** An external paymaster /api/aa/paymaster forwards to (`{chainId}` replaced). Unset: this server's verifying paymaster, on chains where it is deployed. */
  PAYMASTER_RPC_URL: z.url().optional(),
  /** npm start: run the Alto bundler against the local devnet ("off" skips it). */
  COUNTERSIGN_BUNDLER: z.enum(["on", "off"]).default("on"),
  /** Alto's port (0: any free port). */
  BUNDLER_PORT: z.coerce.number().int().min(0).max(65535).default(4337),
  /** The verifying paymaster's budget per organization and chain, in wei (the public pool, for tokens issued without a session, has the same). */
  AA_SPONSOR_BUDGET_WEI: z.string().regex(/^\d{1,40}$/, "wei, a decimal integer").default("100000000000000000"),
  /** Lifetime of an /api/aa/token proxy token. */
  AA_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(600),
  /**
   * Seed 003's Self protocol proof provider (lib/identity/self-provider.ts), for the identity chain
   * SELF_CHAIN_ID names, once SELF_CHAIN_ID, SELF_SCOPE and SELF_RPC_URL are set (validated there).
   */
  SELF_CHAIN_ID: z.string().optional(),
  SELF_SCOPE: z.string().optional(),
  SELF_RPC_URL: z.string().optional(),
  SELF_HUB_ADDRESS: z.string().optional(),
  SELF_MOCK_PASSPORT: z.string().optional(),
  SELF_APP_NAME: z.string().optional(),
  /** Instance administrators (comma-separated e-mails): they review seed 001 operator applications. */
  INSTANCE_ADMIN_EMAILS: z.string().optional(),
  /** A static USD price table (lib/prices): `<chainId>:<native|0xtoken>=<usd>,…`. Unset: no value is shown. */
  COUNTERSIGN_PRICES_USD: z.string().optional().superRefine((text, ctx) => {
    try {
      parsePriceTable(text);
    } catch (err) {
      if (!(err instanceof PriceTableError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
    }
  }),
});

export type Env = z.infer<typeof schema> & { origin: string; rpId: string };

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${detail}`);
  }
  const e = parsed.data;
  selfConfigFrom(e);
  const origin = (e.COUNTERSIGN_ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  cached = {
    ...e,
    origin,
    rpId: e.COUNTERSIGN_RP_ID ?? new URL(origin).hostname,
  };
  return cached;
}

/** Outside the source tree, so Tailwind's scanner and git never see database files. */
export function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME ?? path.join(homedir(), ".local", "share");
  return path.join(base, "countersign");
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
