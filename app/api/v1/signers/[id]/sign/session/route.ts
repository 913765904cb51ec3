import { userSignSession } from "@/lib/api/signing";
import { openSignSession } from "@/lib/approvals/open-session";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { mpcProfile } from "@/lib/signing/profile";
import type { SignInput } from "@/lib/signing/sign-sessions";

export const POST = handle(userSignSession, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const sign: SignInput = "transaction" in body ? { kind: "transaction", transaction: body.transaction } : "typedData" in body ? { kind: "typed_data", typedData: body.typedData as never } : { kind: "message", message: body.message };
  return openSignSession(db(), { organizationId, signerId: params.id, mode: "user_server", sign, clientNonce: body.clientNonce, identityKey: body.identityKey, identityCertificate: body.identityCertificate, profile: mpcProfile(), audit: { actor: actorOf(principal), context: ctx } });
});
