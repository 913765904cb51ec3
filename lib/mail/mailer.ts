import { randomUUID } from "node:crypto";
import { env } from "@/lib/config/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { openSecret, sealSecret, type SealedBlob } from "@/lib/keystore";
import type { DbOrTx } from "@/lib/db/client";
import { log } from "@/lib/log/logger";

export type Mail = { to: string; subject: string; text: string };

/**
 * Sends mail through SMTP when SMTP_URL is set. Without it (the default here: no mail service is
 * reachable), the message is stored in the development outbox (/dev/outbox) and its subject logged.
 */
export async function sendMail(db: DbOrTx, mail: Mail): Promise<{ via: "smtp" | "outbox" }> {
  const smtp = env().SMTP_URL;
  if (smtp) {
    const nodemailer = await import("nodemailer");
    const transport = nodemailer.createTransport(smtp);
    await transport.sendMail({ from: env().MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text });
    return { via: "smtp" };
  }
  const id = randomUUID();
  await db.outboxMessage.create({ data: { id, to: mail.to.toLowerCase(), subject: mail.subject, sealed: sealSecret(new TextEncoder().encode(mail.text), outboxContext(id)) as unknown as Prisma.InputJsonValue } });
  log.info("mail captured in development outbox (no SMTP_URL)", { to: mail.to, subject: mail.subject, outbox: `${env().origin}/dev/outbox` });
  return { via: "outbox" };
}

/**
 * The outbox shows verification links, so it is only served on development installs: no SMTP, and
 * either a non-production server or COUNTERSIGN_DEV_OUTBOX=on (which `npm start` sets when it runs
 * the embedded database, i.e. a local install).
 */
export function devOutboxEnabled(): boolean {
  if (env().SMTP_URL) return false;
  return env().NODE_ENV !== "production" || process.env.COUNTERSIGN_DEV_OUTBOX === "on";
}

const outboxContext = (id: string) => `outbox:${id}`;

/**
 * The outbox as one person sees it: only mail sent to their own address (nothing without one), bodies
 * opened here. Nobody reads another address's verification link.
 */
export async function outboxFor(db: DbOrTx, email: string | null | undefined, take = 50) {
  if (!email) return [];
  const rows = await db.outboxMessage.findMany({ where: { to: email.toLowerCase() }, orderBy: { createdAt: "desc" }, take });
  return rows.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: new TextDecoder().decode(openSecret(m.sealed as unknown as SealedBlob, outboxContext(m.id))), createdAt: m.createdAt }));
}

/** Development outbox mail is kept a week (lib/ops/housekeeping.ts); a verification link older than that has expired anyway. */
export const OUTBOX_RETENTION_MS = 7 * 86_400_000;

export async function pruneOutbox(db: DbOrTx, now = Date.now()): Promise<number> {
  const r = await db.outboxMessage.deleteMany({ where: { createdAt: { lt: new Date(now - OUTBOX_RETENTION_MS) } } });
  return r.count;
}
