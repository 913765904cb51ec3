import { devOutbox } from "@/lib/api/organizations";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { devOutboxEnabled, outboxFor } from "@/lib/mail/mailer";

/** Signed out: nothing. Signed in: the mail sent to the session's own address. */
export const GET = handle(devOutbox, async ({ principal }) => {
  if (!devOutboxEnabled()) throw new NotFoundError("The development outbox is off (SMTP is configured, or this is not a development install)");
  const email = principal.type === "user" ? principal.session.user.email : null;
  const messages = await outboxFor(db(), email);
  return { status: 200, body: { messages: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) } };
});
