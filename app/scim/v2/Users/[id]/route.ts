import { scimDeleteUser, scimGetUser, scimPatchUser, scimReplaceUser } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { deleteUser, getUser, whoOf, writeUser } from "@/lib/scim/service";

export const GET = handle(scimGetUser, async ({ params, query, principal }) => {
  const r = await getUser(orgOf(principal), params.id, query);
  return { status: 200, body: r.body, headers: r.headers };
});

export const PUT = handle(scimReplaceUser, async ({ req, params, body, principal, ctx }) => {
  const r = await writeUser(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, "put", body, req.headers.get("if-match"));
  return { status: 200, body: r.body, headers: r.headers };
});

export const PATCH = handle(scimPatchUser, async ({ req, params, body, principal, ctx }) => {
  const r = await writeUser(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, "patch", body, req.headers.get("if-match"));
  return { status: 200, body: r.body, headers: r.headers };
});

export const DELETE = handle(scimDeleteUser, async ({ req, params, principal, ctx }) => {
  await deleteUser(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, req.headers.get("if-match"));
  return { status: 204, body: undefined };
});
