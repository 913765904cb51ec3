import { env } from "@/lib/config/env";
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
  await db.outboxMessage.create({ data: mail });
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
