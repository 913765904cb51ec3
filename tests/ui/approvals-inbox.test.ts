import { describe, expect, it } from "vitest";
import { mergeInbox, type ApprovalInboxItem, type SigningRequestView } from "@/components/api/approvals";
import { approvalAgentLabel, approvalDecisionText, approvalStatusBadge, approvalValue, signingRequestValue } from "@/components/approvals/approval-format";
import { sortInbox } from "@/lib/approvals/inbox";

const AGENT = "0x1111111111111111111111111111111111111111";
const SAFE = "0x2222222222222222222222222222222222222222";

function approval(over: Partial<ApprovalInboxItem> & { notificationId: string }): ApprovalInboxItem {
  return {
    requestId: `req_${over.notificationId}`,
    mode: "safe",
    status: "pending_human",
    description: "Send 0.5 ETH to 0xab…cd",
    agent: { address: AGENT, signerId: null, signerName: null },
    chainId: 31337,
    safeAddress: SAFE,
    valueWei: "500000000000000000",
    intent: { actions: [] },
    clearSigning: { actionResults: [], aggregatedDescription: "Send 0.5 ETH to 0xab…cd" },
    subjectHash: "0x",
    signingRequestId: null,
    txHash: null,
    error: null,
    createdAt: "2026-11-27T10:00:00.000Z",
    executedAt: null,
    decision: null,
    ...over,
  };
}

function signing(over: Partial<SigningRequestView> & { id: string }): SigningRequestView {
  return {
    signerId: "s1",
    signerName: "Treasury bot",
    mode: "signer_server",
    kind: "transaction",
    outcome: "require_approval",
    status: "pending_approval",
    request: { to: AGENT, value: "1500000000000000000", selector: null, tokenAction: null, messagePreview: null },
    spend: [],
    violations: [],
    approvals: ["Payments above 1 ETH need a human"],
    matchedRule: null,
    evaluated: { policies: [], document: null },
    ceremonyId: null,
    sessionStatus: null,
    expiresAt: null,
    messageHash: null,
    txHash: null,
    createdAt: "2026-11-27T09:00:00.000Z",
    decidedAt: null,
    decidedBy: null,
    ...over,
  };
}

const decision = (at: string): NonNullable<ApprovalInboxItem["decision"]> => ({
  response: "accepted",
  decidedAt: at,
  decidedBy: { id: "u1", name: "Ada", email: "ada@example.com" },
  source: "app_ui",
  device: { id: "d1", name: "Chrome on Android" },
  userAgent: null,
  withPasskey: true,
});

describe("mergeInbox", () => {
  it("lists both kinds, pending first newest first, then decided by latest decision", () => {
    const a1 = approval({ notificationId: "a1", createdAt: "2026-11-27T10:00:00.000Z" });
    const a2 = approval({ notificationId: "a2", createdAt: "2026-11-27T11:00:00.000Z" });
    const aDone = approval({ notificationId: "a3", status: "executed", createdAt: "2026-11-27T08:00:00.000Z", decision: decision("2026-11-27T12:00:00.000Z") });
    const sPending = signing({ id: "s-p", createdAt: "2026-11-27T10:30:00.000Z" });
    const sDone = signing({ id: "s-d", status: "committed", createdAt: "2026-11-27T07:00:00.000Z", decidedAt: "2026-11-27T11:30:00.000Z", decidedBy: { id: "u1", name: "Ada", email: null } });
    const sAllowed = signing({ id: "s-a", outcome: "allow", status: "committed" });
    const { pending, decided } = mergeInbox([a1, a2, aDone], [sPending, sDone, sAllowed]);
    expect(pending.map((e) => e.key)).toEqual(["ntf:a2", "sr:s-p", "ntf:a1"]);
    expect(decided.map((e) => e.key)).toEqual(["ntf:a3", "sr:s-d"]);
  });

  it("shows a relay request and its parked signing request once, as the seed 004 row", () => {
    const relay = approval({ notificationId: "r1", mode: "relay", safeAddress: null, signingRequestId: "s-linked" });
    const parked = signing({ id: "s-linked" });
    // The pending and the recent signing-request pages both return the parked request.
    const { pending, decided } = mergeInbox([relay], [parked, parked]);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: "approval", key: "ntf:r1" });
    expect(decided).toEqual([]);
  });

  it("an accepted request that is still executing counts as decided", () => {
    const { pending, decided } = mergeInbox([approval({ notificationId: "x", status: "executing", decision: decision("2026-11-27T12:00:00.000Z") })], []);
    expect(pending).toEqual([]);
    expect(decided.map((e) => e.key)).toEqual(["ntf:x"]);
  });

  it("is empty when nothing ever waited for a human", () => {
    expect(mergeInbox([], [signing({ id: "ok", outcome: "allow", status: "reserved" })])).toEqual({ pending: [], decided: [] });
  });
});

describe("sortInbox (server order)", () => {
  it("puts pending first, newest first, then decided by decision time", () => {
    const items = [
      approval({ notificationId: "old", createdAt: "2026-11-27T01:00:00.000Z" }),
      approval({ notificationId: "done-late", status: "rejected_by_human", createdAt: "2026-11-27T00:00:00.000Z", decision: decision("2026-11-27T05:00:00.000Z") }),
      approval({ notificationId: "new", createdAt: "2026-11-27T03:00:00.000Z" }),
      approval({ notificationId: "done-early", status: "executed", createdAt: "2026-11-27T02:00:00.000Z", decision: decision("2026-11-27T04:00:00.000Z") }),
    ];
    expect(sortInbox(items).map((i) => i.notificationId)).toEqual(["new", "old", "done-late", "done-early"]);
  });
});

describe("inbox row text", () => {
  it("values, agents, badges and the decision line", () => {
    expect(approvalValue({ valueWei: "750000000000000000" })).toBe("0.75 ETH");
    expect(signingRequestValue(signing({ id: "v" }))).toBe("1.5 ETH");
    expect(signingRequestValue(signing({ id: "m", kind: "message" }))).toBe("—");
    expect(signingRequestValue(signing({ id: "t", request: { to: AGENT, value: "0", selector: "0xa9059cbb", tokenAction: { method: "transfer", contract: SAFE, amount: "250", counterparty: AGENT, unlimited: false }, messagePreview: null } }))).toBe("250 token units");
    expect(approvalAgentLabel(approval({ notificationId: "a" }))).toBe("Agent 0x1111…1111 · Safe 0x2222…2222");
    expect(approvalAgentLabel(approval({ notificationId: "r", mode: "relay", safeAddress: null, agent: { address: AGENT, signerId: "s1", signerName: "Relay bot" } }))).toBe("Relay bot");
    expect(approvalStatusBadge({ status: "pending_human" })).toEqual({ label: "Waiting for approval", tone: "warning" });
    expect(approvalStatusBadge({ status: "executed" })).toEqual({ label: "Executed", tone: "success" });
    expect(approvalStatusBadge({ status: "rejected_by_human" })).toEqual({ label: "Rejected", tone: "danger" });
    expect(approvalDecisionText(decision("2026-11-27T12:00:00.000Z"))).toBe("Accepted by Ada from the approval page on Chrome on Android, with a passkey");
    expect(approvalDecisionText({ ...decision("x"), response: "rejected", source: "sw_action", device: null, withPasskey: false, decidedBy: null })).toBe("Rejected by a former member from the notification");
  });
});
