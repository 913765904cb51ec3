import { scimSchemas } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { discoveryList } from "@/lib/scim/service";

export const GET = handle(scimSchemas, async () => ({ status: 200, body: discoveryList("schemas") }));
