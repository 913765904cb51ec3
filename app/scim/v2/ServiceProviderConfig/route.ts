import { scimServiceProviderConfig } from "@/lib/api/scim";
import { handle } from "@/lib/http/handle";
import { spcDocument } from "@/lib/scim/service";

export const GET = handle(scimServiceProviderConfig, async () => ({ status: 200, body: spcDocument() }));
