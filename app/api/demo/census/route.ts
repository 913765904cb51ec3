import { demoCensusContribute, demoCensusRead } from "@/lib/api/demo";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { censusOf, contribute } from "@/lib/demo/census";
import { callerAgent } from "@/lib/demo/demo";

export const POST = handle(demoCensusContribute, async ({ principal }) => {
  if (principal.type !== "signed_agent") throw new Error("unreachable: the contract accepts signed agents only");
  const { agent } = await callerAgent(db(), principal.agent);
  return { status: 201, body: await contribute(db(), agent) };
});

export const GET = handle(demoCensusRead, async ({ principal }) => {
  if (principal.type !== "signed_agent") throw new Error("unreachable: the contract accepts signed agents only");
  const { agent } = await callerAgent(db(), principal.agent);
  return { status: 200, body: await censusOf(db(), agent.chainId) };
});
