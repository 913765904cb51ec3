import { demoVerify as contract } from "@/lib/api/demo";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { demoVerify } from "@/lib/demo/demo";

export const POST = handle(contract, async ({ principal }) => {
  if (principal.type !== "signed_agent") throw new Error("unreachable: the contract accepts signed agents only");
  return { status: 200, body: await demoVerify(db(), principal.agent) };
});
