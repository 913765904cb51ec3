import { scimSearchGroups } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { listGroups, searchQuery } from "@/lib/scim/service";

export const POST = handle(scimSearchGroups, async ({ body, principal }) => ({ status: 200, body: await listGroups(orgOf(principal), searchQuery(body)) }));
