import { getMe as contract } from "@/lib/api/trust";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { ForbiddenError } from "@/lib/http/errors";
import { meResponse } from "@/lib/trust/present";
import { operatorProfile } from "@/lib/trust/store";

export const GET = handle(contract, async ({ principal }) => {
  if (principal.type !== "credential") throw new ForbiddenError("GET /me takes an organization API key");
  return { status: 200, body: meResponse(await operatorProfile(db(), principal.organizationId), principal.credential.prefix) };
});
