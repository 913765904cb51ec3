import type { DbOrTx } from "@/lib/db/client";
import { keyStoreStatus } from "./index";

const SETTING = "keystore.master_key_id";

export type KeyStoreHealth = { ok: true; keyId: string } | { ok: false; detail: string };

/**
 * The key store is usable when a master key is configured and it is the key this database's secrets
 * were sealed under. The first unsealed start records the key's fingerprint (never the key).
 */
export async function checkKeyStore(db: DbOrTx): Promise<KeyStoreHealth> {
  const status = keyStoreStatus();
  if (status.sealed) return { ok: false, detail: `sealed: ${status.reason}` };
  const row = await db.systemSetting.findUnique({ where: { key: SETTING } });
  if (!row) {
    await db.systemSetting.upsert({ where: { key: SETTING }, create: { key: SETTING, value: status.keyId }, update: {} });
    return { ok: true, keyId: status.keyId };
  }
  if (row.value !== status.keyId) return { ok: false, detail: "sealed: the configured master key is not the one this database was sealed with" };
  return { ok: true, keyId: status.keyId };
}
