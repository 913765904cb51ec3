import { listScimGroups } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { listGroupMappings } from "@/lib/scim/provisioning";

export const GET = handle(listScimGroups, async ({ principal }) => ({ status: 200, body: await listGroupMappings(orgOf(principal)) }));
