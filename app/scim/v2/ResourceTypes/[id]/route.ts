import { scimResourceType } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { discoveryOne } from "@/lib/scim/service";

export const GET = handle(scimResourceType, async ({ params }) => ({ status: 200, body: discoveryOne("resourceTypes", params.id) }));
