import { ownBalance } from "@/lib/api/signer-admin";
import { nativeBalance } from "@/lib/chain/signer-chain";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(ownBalance, async ({ principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  return { status: 200, body: await nativeBalance(db(), await getSigner(db(), organizationId, signerId)) };
});
