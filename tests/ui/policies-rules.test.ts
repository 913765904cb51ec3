import { describe, expect, it } from "vitest";
import { approvalReasons, decisionLabel, describeSigningRequest } from "@/components/approvals/approval-format";
import { bucketByDay, changeKind } from "@/components/policies/backtest-format";
import {
  diffCounts,
  diffDocuments,
  fromDocument,
  issuesForRule,
  longestCommonOrder,
  previewRule,
  toDocument,
  validateDocument,
} from "@/components/policies/rules-editor-model";
import { parseRulesDocument, type RulesDocument } from "@/lib/policy/rules";

const A = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function doc(rules: readonly unknown[], extra: Partial<RulesDocument> = {}): RulesDocument {
  return parseRulesDocument({ version: 1, defaultAction: "allow", rules, ...extra });
}

const big = { id: "big", when: { field: "value", op: "gt", value: "1000000000000000000" }, action: "require_approval" } as const;
const blocked = { id: "blocked", when: { field: "to", op: "eq", value: A }, action: "deny" } as const;
const night = { id: "night", when: { all: [{ field: "hour", op: "lt", value: 6 }, { field: "kind", op: "eq", value: "transaction" }] }, action: "deny" } as const;

describe("rules editor model", () => {
  it("shows stored documents as rows, amounts in ETH, and turns them back into the same document", () => {
    const stored = doc([big, night], { timeZone: "Europe/Berlin", lists: { treasury: [A] } });
    const editor = fromDocument(stored);
    expect(editor.rules.map((r) => r.conditions)).toEqual([
      [{ field: "value", op: "gt", value: "1 ETH" }],
      [
        { field: "hour", op: "lt", value: "6" },
        { field: "kind", op: "eq", value: "transaction" },
      ],
    ]);
    expect(editor.timeZone).toBe("Europe/Berlin");
    const again = validateDocument(toDocument(editor));
    expect(again.ok && again.document).toEqual(stored);
  });

  it("keeps nested conditions as raw JSON", () => {
    const nested = { id: "n", when: { any: [{ field: "weekday", op: "eq", value: "sat" }, { not: { field: "chainId", op: "eq", value: 1 } }] }, action: "deny" } as const;
    const editor = fromDocument(doc([nested]));
    expect(editor.rules[0]!.conditions).toEqual([]);
    expect(editor.rules[0]!.rawWhen).toEqual(nested.when);
    const again = validateDocument(toDocument(editor));
    expect(again.ok && again.document.rules[0]).toEqual(nested);
  });

  it("splits 'one of' values and reports problems per rule with their paths", () => {
    const editor = fromDocument({ version: 1, defaultAction: "deny", rules: [] });
    editor.rules.push(
      { key: "a", id: "ok", description: "", action: "allow", conditions: [{ field: "weekday", op: "in", value: "sat, sun" }], rawWhen: undefined },
      { key: "b", id: "bad", description: "", action: "deny", conditions: [{ field: "value", op: "gt", value: "lots" }], rawWhen: undefined },
    );
    const v = validateDocument(toDocument(editor));
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(issuesForRule(v.issues, 0)).toEqual([]);
      expect(issuesForRule(v.issues, 1)).toEqual([{ path: "when.value", message: expect.stringMatching(/wei amount/) }]);
    }
    expect(previewRule(editor, editor.rules[0]!)).toBe("Allow when weekday is one of sat or sun");
    expect(previewRule(editor, editor.rules[1]!)).toBeNull();
  });

  it("treats a rule without conditions as matching everything", () => {
    const editor = fromDocument({ version: 1, defaultAction: "allow", rules: [{ id: "all", when: { all: [] }, action: "deny" }] });
    expect(previewRule(editor, editor.rules[0]!)).toBe("Deny every request");
  });
});

describe("draft vs active diff", () => {
  it("lists everything as added when nothing is active", () => {
    const entries = diffDocuments(null, doc([big]));
    expect(entries).toEqual([{ kind: "added", ruleId: "big", after: "Require approval when value > 1 ETH", position: 1 }]);
  });

  it("reports added, removed, changed and settings in readable terms", () => {
    const active = doc([big, blocked]);
    const draft = doc([{ ...big, when: { field: "value", op: "gt", value: "2000000000000000000" } }, night], { defaultAction: "deny" });
    const entries = diffDocuments(active, draft);
    expect(entries).toContainEqual({ kind: "setting", name: "Default action", before: "allow", after: "deny" });
    expect(entries).toContainEqual({ kind: "removed", ruleId: "blocked", before: "Deny when to is 0x7099…79C8" });
    expect(entries).toContainEqual({ kind: "changed", ruleId: "big", before: "Require approval when value > 1 ETH", after: "Require approval when value > 2 ETH" });
    expect(entries).toContainEqual({ kind: "added", ruleId: "night", after: "Deny when hour < 6 and kind is transaction", position: 2 });
    expect(diffCounts(entries)).toEqual({ added: 1, removed: 1, changed: 1, moved: 0, settings: 1 });
  });

  it("reports only the rule that moved, and nothing for identical documents", () => {
    const active = doc([big, blocked, night]);
    expect(diffDocuments(active, doc([big, blocked, night]))).toEqual([]);
    const entries = diffDocuments(active, doc([blocked, night, big]));
    expect(entries).toEqual([{ kind: "moved", ruleId: "big", from: 1, to: 3, after: "Require approval when value > 1 ETH" }]);
    expect([...longestCommonOrder(["a", "b", "c"], ["b", "c", "a"])]).toEqual(["b", "c"]);
  });

  it("notices list changes", () => {
    const entries = diffDocuments(doc([], { lists: { treasury: [A] } }), doc([], { lists: {} }));
    expect(entries).toEqual([{ kind: "setting", name: "List “treasury”", before: "1 address", after: "removed" }]);
  });
});

describe("backtest chart data", () => {
  it("classifies each change", () => {
    expect(changeKind("allow", "allow")).toBe("unchanged");
    expect(changeKind("allow", "deny")).toBe("allowToDeny");
    expect(changeKind("deny", "allow")).toBe("denyToAllow");
    expect(changeKind("allow", "require_approval")).toBe("toApproval");
    expect(changeKind("require_approval", "deny")).toBe("fromApproval");
  });

  it("buckets per UTC day, oldest first", () => {
    const buckets = bucketByDay([
      { at: "2026-11-26T23:59:59Z", then: "allow", now: "deny" },
      { at: "2026-11-25T10:00:00Z", then: "allow", now: "allow" },
      { at: "2026-11-26T00:00:00Z", then: "deny", now: "allow" },
      { at: "2026-11-26T12:00:00Z", then: "allow", now: "require_approval" },
    ]);
    expect(buckets).toEqual([
      { day: "2026-11-25", total: 1, unchanged: 1, allowToDeny: 0, denyToAllow: 0, toApproval: 0, fromApproval: 0 },
      { day: "2026-11-26", total: 3, unchanged: 0, allowToDeny: 1, denyToAllow: 1, toApproval: 1, fromApproval: 0 },
    ]);
  });
});

describe("approvals inbox text", () => {
  const base = { kind: "transaction", request: { to: A, value: "1500000000000000000", selector: null, tokenAction: null, messagePreview: null } };

  it("says what a parked request wants", () => {
    expect(describeSigningRequest(base)).toBe("Send 1.5 ETH to 0x7099…79C8");
    expect(describeSigningRequest({ ...base, request: { ...base.request, value: "0", selector: "0x12345678" } })).toBe("Call 0x12345678 on 0x7099…79C8");
    expect(
      describeSigningRequest({
        ...base,
        request: { ...base.request, value: "0", selector: "0x095ea7b3", tokenAction: { method: "approve", contract: A, amount: "0", counterparty: A, unlimited: true } },
      }),
    ).toBe("Approve spending of an unlimited amount of token 0x7099…79C8 for 0x7099…79C8");
    expect(describeSigningRequest({ kind: "message", request: { ...base.request, messagePreview: "hello" } })).toBe("Sign a message: “hello”");
  });

  it("explains why it waits and how it ended", () => {
    expect(approvalReasons({ approvals: ["Require approval when value > 1 ETH"], matchedRule: null })).toEqual(["Require approval when value > 1 ETH"]);
    expect(approvalReasons({ approvals: [], matchedRule: { ruleId: "big", action: "require_approval", description: "" } })).toEqual(["Rule big"]);
    expect(decisionLabel({ status: "rejected" })).toEqual({ label: "Rejected", tone: "danger" });
    expect(decisionLabel({ status: "committed" })).toEqual({ label: "Approved", tone: "success" });
  });
});
