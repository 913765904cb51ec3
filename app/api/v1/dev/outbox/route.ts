import { devOutbox } from "@/lib/api/organizations";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { devOutboxEnabled } from "@/lib/mail/mailer";

export const GET = handle(devOutbox, async () => {
  if (!devOutboxEnabled()) throw new NotFoundError("The development outbox is off (SMTP is configured, or this is not a development install)");
  const rows = await db().outboxMessage.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return { status: 200, body: { messages: rows.map((m) => ({ id: m.id, to: m.to, subject: m.subject, text: m.text, createdAt: m.createdAt.toISOString() })) } };
});
