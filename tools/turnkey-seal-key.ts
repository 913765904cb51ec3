/**
 * Seals the provider's Turnkey API private key (32 bytes of hex, on stdin) under the master key and
 * prints the value for TURNKEY_API_PRIVATE_KEY_SEALED. Run it where the server's master key is
 * available (COUNTERSIGN_MASTER_KEY or COUNTERSIGN_MASTER_KEY_FILE):
 *
 *   printf %s "$TURNKEY_PRIVATE_KEY_HEX" | npx tsx tools/turnkey-seal-key.ts
 */
import { sealTurnkeyPrivateKey } from "@/lib/turnkey/config";

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
process.stdout.write(`TURNKEY_API_PRIVATE_KEY_SEALED=${sealTurnkeyPrivateKey(Buffer.concat(chunks).toString("utf8"))}\n`);
