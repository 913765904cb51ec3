import { aaBundler as contract } from "@/lib/api/aa";
import { proxyBundler } from "@/lib/aa/proxy";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";

export const POST = handle(contract, async ({ req, query, body }) => {
  const r = await proxyBundler(db(), req, query.chainId, body);
  return { status: 200, body: { ...r.body, jsonrpc: "2.0" as const } };
});
