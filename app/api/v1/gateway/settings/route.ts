import { getGatewaySettings, updateGatewaySettings as contract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { gatewaySettings, updateGatewaySettings } from "@/lib/gateway/checks";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";

export const GET = handle(getGatewaySettings, async ({ principal }) => ({ status: 200, body: { settings: await gatewaySettings(db(), orgOf(principal)) } }));

export const PATCH = handle(contract, async ({ body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const settings = await db().$transaction((tx) => updateGatewaySettings(tx, organizationId, body, actorOf(principal), ctx));
  return { status: 200, body: { settings } };
});
