import { fundSignerFromDevnet } from "@/lib/api/devnet";
import { recordAudit } from "@/lib/audit/record";
import { fundFromDevnet } from "@/lib/chain/devnet-faucet";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { actorOf } from "@/lib/http/principal";
import { orgOf } from "@/lib/http/scope";
import { getSigner } from "@/lib/signing/signers";

/** Local devnet only: 1 ETH from the documented dev account (lib/chain/devnet-faucet.ts refuses other networks). */
export const POST = handle(fundSignerFromDevnet, async ({ params, principal, ctx }) => {
  const organizationId = orgOf(principal);
  const signer = await getSigner(db(), organizationId, params.id);
  const funded = await fundFromDevnet(db(), signer);
  await recordAudit(db(), { organizationId, actor: actorOf(principal), action: "signer.funded_from_devnet", resourceType: "signer", resourceId: signer.id, details: { txHash: funded.txHash, value: funded.value, chainId: funded.chainId }, context: ctx });
  return { status: 200, body: funded };
});
