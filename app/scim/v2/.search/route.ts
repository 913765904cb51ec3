import { scimSearch } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { searchAll, searchQuery } from "@/lib/scim/service";

export const POST = handle(scimSearch, async ({ body, principal }) => ({ status: 200, body: await searchAll(orgOf(principal), searchQuery(body)) }));
