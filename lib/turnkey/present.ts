import { getAddress } from "viem";
import type { ClearSigningJson, IntentAction } from "@/lib/approvals/clear-signing";
import type { TurnkeyStatus } from "./state";

/** seed 004 JSON for Turnkey requests (pure). Timestamps are Unix milliseconds. */
type RequestRow = { id: string; status: string; chainId: number; intent: unknown; clearSigning: unknown; txHash: string | null; error: string | null; createdAt: Date; respondedAt: Date | null; executedAt: Date | null };
type TurnkeyRow = { draftId: string; subOrganizationId: string; walletAddress: string; activityId: string; fingerprint: string };

export function turnkeyRequestJson(r: RequestRow, t: TurnkeyRow) {
  return {
    requestId: r.id,
    draftId: t.draftId,
    status: r.status as TurnkeyStatus,
    subOrganizationId: t.subOrganizationId,
    walletAddress: getAddress(t.walletAddress),
    activityId: t.activityId,
    fingerprint: t.fingerprint,
    intent: (r.intent as { actions: IntentAction[] } | null) ?? null,
    clearSigning: (r.clearSigning as ClearSigningJson | null) ?? null,
    txHash: r.txHash,
    error: r.error,
    createdAt: r.createdAt.getTime(),
    respondedAt: r.respondedAt?.getTime() ?? null,
    executedAt: r.executedAt?.getTime() ?? null,
  };
}

/** The notification's `turnkeyExecution`: each stage of the request, with an explorer link once sent. */
export function turnkeyExecutionJson(r: Pick<RequestRow, "status" | "txHash" | "error" | "chainId">, explorerUrl: string | null) {
  return {
    status: r.status,
    txHash: r.txHash,
    error: r.error,
    chainId: r.chainId >= 1 ? r.chainId : null,
    explorerTxUrl: r.txHash && explorerUrl ? `${explorerUrl.replace(/\/$/, "")}/tx/${r.txHash}` : null,
  };
}
