import { approveApplication as contract } from "@/lib/api/trust-admin";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { userOf } from "@/lib/http/scope";
import { approveApplication } from "@/lib/trust/applications";

export const POST = handle(contract, async ({ params, principal, ctx }) => ({
  status: 200,
  body: await approveApplication(db(), params.id, { userId: userOf(principal).userId, actor: actorOf(principal), context: ctx }),
}));
