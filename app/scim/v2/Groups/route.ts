import { scimCreateGroup, scimListGroups } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { createGroup, listGroups, whoOf } from "@/lib/scim/service";

export const GET = handle(scimListGroups, async ({ query, principal }) => ({ status: 200, body: await listGroups(orgOf(principal), query) }));

export const POST = handle(scimCreateGroup, async ({ body, principal, ctx }) => {
  const r = await createGroup(whoOf(orgOf(principal), actorOf(principal), ctx), body);
  return { status: 201, body: r.body, headers: r.headers };
});
