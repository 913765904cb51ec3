import { scimSchema } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { discoveryOne } from "@/lib/scim/service";

export const GET = handle(scimSchema, async ({ params }) => ({ status: 200, body: discoveryOne("schemas", params.id) }));
