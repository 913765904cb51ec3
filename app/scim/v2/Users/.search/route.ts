import { scimSearchUsers } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { listUsers, searchQuery } from "@/lib/scim/service";

export const POST = handle(scimSearchUsers, async ({ body, principal }) => ({ status: 200, body: await listUsers(orgOf(principal), searchQuery(body)) }));
