import { getSigner as contract } from "@/lib/api/signers";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { orgOf } from "@/lib/http/scope";
import { getSigner, publicSigner } from "@/lib/signing/signers";

export const GET = handle(contract, async ({ params, principal }) => ({
  status: 200,
  body: { signer: publicSigner(await getSigner(db(), orgOf(principal), params.id)) },
}));
