/**
 * Runs the Turnkey DEVELOPMENT STAND-IN (tools/turnkey-dev/server.ts) on its own, or from `npm start`
 * when TURNKEY_DEV_SERVER=on: a fresh provider API key pair, a parent organization whose root user
 * holds it, and the four TURNKEY_* values that point Countersign at it (the private key sealed under
 * the master key). Its state is in memory: sub-organizations and wallets vanish when it stops.
 *
 *   npx tsx tools/turnkey-dev/main.ts        (needs COUNTERSIGN_MASTER_KEY or COUNTERSIGN_MASTER_KEY_FILE)
 */
import { p256 } from "@noble/curves/nist.js";
import { sealTurnkeyPrivateKey } from "@/lib/turnkey/config";
import { startTurnkeyDevServer } from "./server";

export async function startTurnkeyStandIn(opts: { port?: number; host?: string } = {}) {
  const sk = p256.utils.randomSecretKey();
  const apiPublicKey = Buffer.from(p256.getPublicKey(sk, true)).toString("hex");
  const started = await startTurnkeyDevServer({ apiPublicKey, port: opts.port ?? 0, host: opts.host });
  const env = {
    TURNKEY_API_BASE_URL: started.url,
    TURNKEY_ORGANIZATION_ID: started.organizationId,
    TURNKEY_API_PUBLIC_KEY: apiPublicKey,
    TURNKEY_API_PRIVATE_KEY_SEALED: sealTurnkeyPrivateKey(Buffer.from(sk).toString("hex")),
  };
  return { ...started, env };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startTurnkeyStandIn({ port: Number(process.env.TURNKEY_DEV_PORT ?? 0) });
  process.stdout.write(`Turnkey development stand-in (NOT Turnkey) at ${s.url}\n`);
  for (const [k, v] of Object.entries(s.env)) process.stdout.write(`${k}=${v}\n`);
}
