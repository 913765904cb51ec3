import type { Metadata } from "next";
import { ApprovalDetail, type ApprovalServerFacts } from "@/components/approvals/approval-detail";
import { requireSession } from "@/components/session/require-session";
import { PageHeader } from "@/components/shell/page-header";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Approval" };

/** Who decided, with which passkey and device, and where the request stands (not in the seed's detail body). */
async function serverFacts(organizationId: string, notificationId: string): Promise<ApprovalServerFacts | null> {
  const n = await db().approvalNotification.findFirst({ where: { id: notificationId, organizationId }, include: { request: true, response: true } });
  if (!n) return null;
  const r = n.response;
  const user = r ? await db().user.findUnique({ where: { id: r.userId }, select: { name: true, email: true, walletAddress: true } }) : null;
  const device = r?.deviceId ? await db().device.findFirst({ where: { id: r.deviceId, organizationId }, select: { name: true } }) : null;
  return {
    requestStatus: n.request.status,
    txHash: n.request.txHash,
    error: n.request.error,
    decidedBy: user ? (user.name ?? user.email ?? user.walletAddress) : null,
    withPasskey: Boolean(r?.passkeyId),
    deviceName: device?.name ?? null,
  };
}

export default async function ApprovalPage({ params }: { params: Promise<{ notificationId: string }> }) {
  const { notificationId } = await params;
  const session = await requireSession(`/approvals/${encodeURIComponent(notificationId)}`);
  const facts = await serverFacts(session.organization.id, notificationId);
  return (
    <>
      <PageHeader title="Approval request" description="Read what the agent wants to do, then accept or reject it." />
      <ApprovalDetail notificationId={notificationId} facts={facts} />
    </>
  );
}
