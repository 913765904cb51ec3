import { scimDeleteGroup, scimGetGroup, scimPatchGroup, scimReplaceGroup } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { deleteGroup, getGroup, whoOf, writeGroup } from "@/lib/scim/service";

export const GET = handle(scimGetGroup, async ({ params, query, principal }) => {
  const r = await getGroup(orgOf(principal), params.id, query);
  return { status: 200, body: r.body, headers: r.headers };
});

export const PUT = handle(scimReplaceGroup, async ({ req, params, body, principal, ctx }) => {
  const r = await writeGroup(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, "put", body, req.headers.get("if-match"));
  return { status: 200, body: r.body, headers: r.headers };
});

export const PATCH = handle(scimPatchGroup, async ({ req, params, body, principal, ctx }) => {
  const r = await writeGroup(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, "patch", body, req.headers.get("if-match"));
  return { status: 200, body: r.body, headers: r.headers };
});

export const DELETE = handle(scimDeleteGroup, async ({ req, params, principal, ctx }) => {
  await deleteGroup(whoOf(orgOf(principal), actorOf(principal), ctx), params.id, req.headers.get("if-match"));
  return { status: 204, body: undefined };
});
