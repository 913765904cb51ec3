import { mapScimGroup } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { setGroupRole } from "@/lib/scim/provisioning";

export const PUT = handle(mapScimGroup, async ({ params, body, principal, ctx }) => ({
  status: 200,
  body: await setGroupRole({ organizationId: orgOf(principal), id: params.id, role: body.role, actor: actorOf(principal), context: ctx }),
}));
