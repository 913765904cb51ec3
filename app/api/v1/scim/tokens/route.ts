import { createScimToken, listScimTokens } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf, userOf } from "@/lib/http/scope";
import { createToken, listTokens } from "@/lib/scim/provisioning";

export const GET = handle(listScimTokens, async ({ principal }) => ({ status: 200, body: await listTokens(orgOf(principal)) }));

export const POST = handle(createScimToken, async ({ body, principal, ctx }) => {
  const r = await createToken({ organizationId: orgOf(principal), userId: userOf(principal).userId, name: body.name, actor: actorOf(principal), context: ctx });
  return { status: 201, body: r, headers: { "cache-control": "no-store" } };
});
