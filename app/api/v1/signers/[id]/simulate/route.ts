import { simulateTx } from "@/lib/api/signer-admin";
import { simulate } from "@/lib/chain/signer-chain";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSigner } from "@/lib/signing/signers";

export const POST = handle(simulateTx, async ({ params, body, principal }) => ({
  status: 200,
  body: await simulate(db(), await getSigner(db(), orgOf(principal), params.id), body),
}));
