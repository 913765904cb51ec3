import webpush from "web-push";
import { env } from "@/lib/config/env";
import type { DbOrTx } from "@/lib/db/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";

/**
 * The instance's VAPID key pair (RFC 8292). Generated on first use and kept in system_settings under
 * "push.vapid": the public key in clear (browsers need it for PushManager.subscribe), the private
 * key sealed with the key store (so a sealed server cannot send pushes, and a database dump alone
 * cannot impersonate this server to push services).
 */
const SETTING = "push.vapid";
const CONTEXT = "push-vapid-private-key";

type Stored = { publicKey: string; privateKey: SealedBlob };
export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

let cache: { publicKey: string; privateKey: string } | undefined;

function isStored(v: unknown): v is Stored {
  return typeof v === "object" && v !== null && typeof (v as Stored).publicKey === "string" && typeof (v as Stored).privateKey === "object";
}

/** The JWT `sub` claim: the public origin when it is https, otherwise a mailto: on its host. */
export function vapidSubject(origin = env().origin): string {
  const u = new URL(origin);
  return u.protocol === "https:" && u.hostname !== "localhost" ? u.origin : `mailto:webpush@${u.hostname}`;
}

/** Loads the VAPID keys, creating them once (concurrent first calls converge on one stored pair). */
export async function vapidKeys(db: DbOrTx): Promise<VapidKeys> {
  if (cache) return { ...cache, subject: vapidSubject() };
  let row = await db.systemSetting.findUnique({ where: { key: SETTING } });
  if (!row || !isStored(row.value)) {
    const fresh = webpush.generateVAPIDKeys();
    const value: Stored = { publicKey: fresh.publicKey, privateKey: sealSecret(Buffer.from(fresh.privateKey, "base64url"), CONTEXT) };
    await db.systemSetting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: {} });
    row = await db.systemSetting.findUniqueOrThrow({ where: { key: SETTING } });
  }
  const stored = row.value as unknown as Stored;
  const privateKey = Buffer.from(openSecret(stored.privateKey, CONTEXT)).toString("base64url");
  cache = { publicKey: stored.publicKey, privateKey };
  return { ...cache, subject: vapidSubject() };
}

/** Only the public half, for the browser. */
export async function vapidPublicKey(db: DbOrTx): Promise<string> {
  return (await vapidKeys(db)).publicKey;
}

/** Tests that swap databases call this so keys are re-read from the current one. */
export function resetVapidCache() {
  cache = undefined;
}
