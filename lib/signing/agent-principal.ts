import { ForbiddenError } from "@/lib/http/errors";
import type { Principal } from "@/lib/http/principal";
import { credentialOf } from "@/lib/http/scope";

/** The signer a signer API key belongs to. Organization keys cannot co-sign. */
export function signerOfKey(p: Principal): { organizationId: string; signerId: string } {
  const c = credentialOf(p);
  if (c.credential.kind !== "signer_key" || c.credential.subjectType !== "signer" || !c.credential.subjectId) throw new ForbiddenError("Only a signer's API key can co-sign");
  return { organizationId: c.organizationId, signerId: c.credential.subjectId };
}
