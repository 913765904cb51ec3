import { signerStatus } from "@/lib/api/signing";
import { db } from "@/lib/db/client";
import { handle } from "@/lib/http/handle";
import { signerOfKey } from "@/lib/signing/agent-principal";
import { getSigner } from "@/lib/signing/signers";

export const GET = handle(signerStatus, async ({ principal }) => {
  const { organizationId, signerId } = signerOfKey(principal);
  const s = await getSigner(db(), organizationId, signerId);
  return { status: 200, body: { signer: { id: s.id, name: s.name, status: s.status, chainId: s.chainId, address: s.address } } };
});
