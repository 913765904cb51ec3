import { dkgInit } from "@/lib/api/signers";
import { db } from "@/lib/db/client";
import { ConflictError, NotFoundError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { agentStatus } from "@/lib/signing/agent-join";
import { messagesFor, PARTY } from "@/lib/signing/ceremonies";
import { dkgView, getSigner } from "@/lib/signing/signers";

export const POST = handle(dkgInit, async ({ body, principal }) => {
  const organizationId = orgOf(principal);
  const signer = await getSigner(db(), organizationId, body.signerId);
  if (signer.status !== "creating") throw new ConflictError(`Signer is ${signer.status}; key generation is over`);
  const c = await db().ceremony.findFirst({ where: { signerId: signer.id, kind: "dkg", status: { in: ["open", "completed"] } }, orderBy: { createdAt: "desc" } });
  if (!c) throw new NotFoundError("No open key-generation ceremony for this signer");
  // Remote mode: the browser reads the agent's key here and checks its MAC with the pin before encrypting to it.
  const agent = await agentStatus(db(), c.id);
  return { status: 200, body: { dkg: { ...dkgView(c.id, c.context as Record<string, unknown>, await messagesFor(db(), c.id, PARTY.user, 0n)), agent } } };
});
