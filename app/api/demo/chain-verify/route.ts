import { demoChainVerify as contract } from "@/lib/api/demo";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { relayChainVerify } from "@/lib/demo/chain-verify";
import type { Hex } from "viem";

export const POST = handle(contract, async ({ principal, body }) => {
  if (principal.type !== "signed_agent") throw new Error("unreachable: the contract accepts signed agents only");
  return { status: 200, body: await relayChainVerify(db(), principal.agent, { ...body, agentKey: body.agentKey as Hex, eip712Signature: body.eip712Signature as Hex }, "ecdsa") };
});
