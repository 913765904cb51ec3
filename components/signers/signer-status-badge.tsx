import type { SignerStatus } from "../api/signers";
import { Badge } from "../ui/badge";
import { signerStatusLabel, signerStatusTone } from "./signer-format";

export function SignerStatusBadge({ status }: { status: SignerStatus }) {
  return (
    <Badge tone={signerStatusTone[status]} data-testid="signer-status">
      {signerStatusLabel[status]}
    </Badge>
  );
}
