import { tokenBalances as contract } from "@/lib/api/signer-admin";
import { tokenBalances } from "@/lib/chain/signer-chain";
import { db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(contract, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  if (!s.address) throw new ConflictError(`Signer is ${s.status}: it has no address yet`);
  const tokens = await db().trackedToken.findMany({ where: { signerId: s.id, chainId: s.chainId }, orderBy: { createdAt: "asc" } });
  return { status: 200, body: { address: s.address, chainId: s.chainId, tokens: await tokenBalances(db(), s, tokens) } };
});
