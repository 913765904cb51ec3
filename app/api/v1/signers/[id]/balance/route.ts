import { signerBalance } from "@/lib/api/signer-admin";
import { nativeBalance } from "@/lib/chain/signer-chain";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(signerBalance, async ({ params, principal }) => ({
  status: 200,
  body: await nativeBalance(db(), await getSigner(db(), orgOf(principal), params.id)),
}));
