import { revokeScimToken } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { revokeToken } from "@/lib/scim/provisioning";

export const DELETE = handle(revokeScimToken, async ({ params, principal, ctx }) => {
  await revokeToken({ organizationId: orgOf(principal), id: params.id, actor: actorOf(principal), context: ctx });
  return { status: 204, body: undefined };
});
