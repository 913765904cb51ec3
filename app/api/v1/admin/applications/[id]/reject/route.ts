import { rejectApplication as contract } from "@/lib/api/trust-admin";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { userOf } from "@/lib/http/scope";
import { rejectApplication } from "@/lib/trust/applications";

export const POST = handle(contract, async ({ params, body, principal, ctx }) => ({
  status: 200,
  body: { application: await rejectApplication(db(), params.id, body.reason, { userId: userOf(principal).userId, actor: actorOf(principal), context: ctx }) },
}));
