import { db } from "@/lib/db/client";
import { checkKeyStore } from "@/lib/keystore/binding";

export const VERSION = process.env.npm_package_version ?? "0.1.0";

export type Health = {
  status: "ok" | "degraded";
  checks: { database: { ok: boolean; detail?: string }; keyStore: { ok: boolean; detail?: string } };
  version: string;
};

export async function health(): Promise<Health> {
  let database: Health["checks"]["database"];
  let keyStore: Health["checks"]["keyStore"];
  try {
    await db().$queryRaw`SELECT 1`;
    database = { ok: true };
  } catch (err) {
    database = { ok: false, detail: `database unreachable: ${(err as Error).message.split("\n")[0]}` };
  }
  if (database.ok) {
    const k = await checkKeyStore(db()).catch((err: Error) => ({ ok: false as const, detail: err.message }));
    keyStore = k.ok ? { ok: true } : { ok: false, detail: k.detail };
  } else {
    const { keyStoreStatus } = await import("@/lib/keystore");
    const s = keyStoreStatus();
    keyStore = s.sealed ? { ok: false, detail: `sealed: ${s.reason}` } : { ok: true };
  }
  return { status: database.ok && keyStore.ok ? "ok" : "degraded", checks: { database, keyStore }, version: VERSION };
}
