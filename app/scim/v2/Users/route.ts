import { scimCreateUser, scimListUsers } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { createUser, listUsers, whoOf } from "@/lib/scim/service";

export const GET = handle(scimListUsers, async ({ query, principal }) => ({ status: 200, body: await listUsers(orgOf(principal), query) }));

export const POST = handle(scimCreateUser, async ({ body, principal, ctx }) => {
  const r = await createUser(whoOf(orgOf(principal), actorOf(principal), ctx), body);
  return { status: 201, body: r.body, headers: r.headers };
});
