import { backtestToolPolicy as contract } from "@/lib/api/gateway";
import { db } from "@/lib/db/client";
import { backtestToolPolicy } from "@/lib/gateway/backtest";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";

export const POST = handle(contract, async ({ body, principal }) => ({
  status: 200,
  body: await backtestToolPolicy(db(), {
    organizationId: orgOf(principal),
    draft: body.policy,
    agentRef: body.agent_id,
    from: body.from ? new Date(body.from) : undefined,
    to: body.to ? new Date(body.to) : undefined,
    limit: body.limit,
  }),
}));
