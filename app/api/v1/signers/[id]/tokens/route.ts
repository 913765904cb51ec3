import { getAddress } from "viem";
import { addToken, listTokens } from "@/lib/api/signer-admin";
import { readTokenMetadata } from "@/lib/chain/signer-chain";
import { requireNetwork } from "@/lib/chain/network-registry";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { ConflictError } from "@/lib/http/errors";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { publicToken } from "@/lib/signing/present";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(listTokens, async ({ params, principal }) => {
  const s = await getSigner(db(), orgOf(principal), params.id);
  const rows = await db().trackedToken.findMany({ where: { signerId: s.id }, orderBy: { createdAt: "asc" } });
  return { status: 200, body: { tokens: rows.map(publicToken) } };
});

export const POST = handle(addToken, async ({ params, body, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const s = await getSigner(db(), organizationId, params.id);
  const address = getAddress(body.address);
  const meta = await readTokenMetadata(await requireNetwork(db(), s.chainId, "signer.chainId"), address);
  const token = await db().$transaction(async (tx) => {
    if (await tx.trackedToken.findUnique({ where: { signerId_chainId_address: { signerId: s.id, chainId: s.chainId, address } } })) throw new ConflictError("This token is already tracked");
    const t = await tx.trackedToken.create({ data: { signerId: s.id, chainId: s.chainId, address, symbol: meta.symbol, decimals: meta.decimals, name: meta.name } });
    await recordAudit(tx, { organizationId, actor: actorOf(principal), action: "signer.token_added", resourceType: "signer", resourceId: s.id, details: { token: address, symbol: meta.symbol }, context: ctx });
    return t;
  });
  return { status: 201, body: { token: publicToken(token) } };
});
