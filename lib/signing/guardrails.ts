/**
 * The one place the signing path asks "may the server co-sign this?". Every enabled built-in policy
 * and the signer's active rules document are evaluated together by lib/policy's pure engine against
 * the signer's usage from the spend ledger; the decision is recorded (signing_requests + audit) in
 * the same transaction that holds the signer's lock, reads usage and reserves the spend.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, DbOrTx } from "@/lib/db/client";
import { appendDecision, toLeafJson } from "@/lib/tlog/append";
import { recordAudit, type AuditActor, type AuditContext } from "@/lib/audit/record";
import { BadRequestError } from "@/lib/http/errors";
import { recordCeremonyEnded, recordPolicyDecision } from "@/lib/ops/metrics";
import { loadActiveRulesDocument } from "@/lib/policy/documents";
import { recordEvidence } from "@/lib/trust/evidence";
import { trustFacts } from "@/lib/trust/store";
import { decodeRequest, evaluate, parsePolicy, PolicyRequestError, spendOf, type ActivePolicy, type DecodedRequest, type PolicyDecision, type PolicyRequest, type SpendItem, type Violation } from "@/lib/policy";
import { loadUsage, lockSigner, releaseStale, requestToJson, spendToJson } from "./spend-ledger";

export type { PolicyRequest as SigningRequest };

export type GuardrailOutcome = PolicyDecision["outcome"];

/**
 * Enabled built-in policies of a signer, parsed. A stored config that no longer parses cannot be
 * enforced, so it fails closed: it becomes a violation instead of being skipped.
 */
export async function loadActivePolicies(db: DbOrTx, signerId: string): Promise<{ policies: ActivePolicy[]; broken: Violation[]; versions: { id: string; version: number }[] }> {
  const rows = await db.policy.findMany({ where: { signerId, enabled: true, deletedAt: null }, orderBy: { createdAt: "asc" } });
  const policies: ActivePolicy[] = [];
  const broken: Violation[] = [];
  for (const r of rows) {
    try {
      policies.push(parsePolicy({ id: r.id, version: r.version, type: r.type, config: r.config }));
    } catch {
      broken.push({ policyId: r.id, type: r.type as Violation["type"], message: `Policy ${r.id} (version ${r.version}) has an invalid configuration and cannot be enforced` });
    }
  }
  return { policies, broken, versions: rows.map((r) => ({ id: r.id, version: r.version })) };
}

function decode(request: PolicyRequest): DecodedRequest {
  try {
    return decodeRequest(request);
  } catch (err) {
    if (err instanceof PolicyRequestError) throw new BadRequestError(`The request cannot be checked against the guardrails: ${err.message}`);
    throw err;
  }
}

/**
 * Evaluates a request for a signer. The caller holds the signer's lock (see `decideSigning`), so
 * the usage read here cannot change before the reservation is written.
 */
export async function checkGuardrails(tx: DbOrTx, input: { signerId: string; request: PolicyRequest; now: Date }): Promise<{ decision: PolicyDecision; spend: SpendItem[]; decoded: DecodedRequest; agentId: string | null }> {
  const decoded = decode(input.request);
  const { policies, broken, versions } = await loadActivePolicies(tx, input.signerId);
  const document = await loadActiveRulesDocument(tx, input.signerId);
  const usage = await loadUsage(tx, input.signerId, policies, input.now);
  // The signer's agent's trust score (seed 001) for rules naming trust.* fields.
  const signer = await tx.signer.findUnique({ where: { id: input.signerId }, select: { agentId: true } });
  const trust = await trustFacts(tx, signer?.agentId, input.now.getTime());
  const decision = evaluate({ request: decoded, policies, document, usage, now: input.now, trust });
  if (broken.length) {
    decision.violations.unshift(...broken);
    decision.outcome = "deny";
  }
  decision.evaluated.policies = versions;
  return { decision, spend: spendOf(decoded), decoded, agentId: signer?.agentId ?? null };
}

export type DecisionRecord = {
  decision: PolicyDecision;
  signingRequestId: string;
  ceremony: { id: string; expiresAt: Date } | null;
};

const AUDIT_ACTION = { allow: "signing.allowed", deny: "signing.denied", require_approval: "signing.approval_required" } as const;

/** What the decision's audit event and API views say about a request (no secrets, no full calldata). */
export function requestSummary(decoded: DecodedRequest) {
  return {
    to: decoded.to,
    value: decoded.value.toString(),
    selector: decoded.selector,
    erc20: decoded.token ? { method: decoded.token.method, contract: decoded.token.token, amount: decoded.token.amount.toString(), counterparty: decoded.token.counterparty, unlimited: decoded.token.unlimited } : null,
    messagePreview:
      decoded.message?.standard === "eip191"
        ? (decoded.message.text ?? decoded.message.raw).slice(0, 140)
        : decoded.message?.standard === "eip712"
          ? `EIP-712 ${decoded.message.primaryType}${decoded.message.domainName ? ` (${decoded.message.domainName})` : ""}`
          : null,
  };
}

/**
 * Decides one signing request and records it, in one transaction under the signer's lock:
 * releases stale reservations, evaluates, lets `openCeremony` create the session's ceremony when
 * the outcome is not "deny" (status open, or pending_approval), writes the signing_requests row
 * (allow: reserved; require_approval: pending_approval, both holding their spend; deny: denied)
 * and the audit event with the policy versions that decided.
 */
export async function decideSigning(
  db: Db,
  input: {
    organizationId: string;
    signerId: string;
    mode: string;
    request: PolicyRequest;
    messageHash: string;
    audit: { actor: AuditActor; context?: AuditContext };
    openCeremony: (tx: DbOrTx, status: "open" | "pending_approval") => Promise<{ id: string; expiresAt: Date }>;
  },
): Promise<DecisionRecord> {
  let expired: { kind: string }[] = [];
  const record = await db.$transaction(async (tx) => {
    await lockSigner(tx, input.signerId);
    const now = new Date();
    expired = await releaseStale(tx, input.signerId, now);
    const { decision, spend, decoded, agentId } = await checkGuardrails(tx, { signerId: input.signerId, request: input.request, now });
    const ceremony = decision.outcome === "deny" ? null : await input.openCeremony(tx, decision.outcome === "allow" ? "open" : "pending_approval");
    const row = await tx.signingRequest.create({
      data: {
        organizationId: input.organizationId,
        signerId: input.signerId,
        ceremonyId: ceremony?.id ?? null,
        mode: input.mode,
        kind: input.request.kind,
        request: requestToJson(input.request) as unknown as Prisma.InputJsonValue,
        spend: spendToJson(spend) as unknown as Prisma.InputJsonValue,
        outcome: decision.outcome,
        status: decision.outcome === "allow" ? "reserved" : decision.outcome === "deny" ? "denied" : "pending_approval",
        decision: decision as unknown as Prisma.InputJsonValue,
        messageHash: input.messageHash,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.audit.actor,
      action: AUDIT_ACTION[decision.outcome],
      resourceType: "signer",
      resourceId: input.signerId,
      outcome: decision.outcome === "deny" ? "denied" : "success",
      details: {
        signingRequestId: row.id,
        sessionId: ceremony?.id ?? null,
        mode: input.mode,
        kind: input.request.kind,
        messageHash: input.messageHash,
        request: requestSummary(decoded),
        spend: spendToJson(spend),
        decision: decision.outcome,
        violations: decision.violations,
        approvals: decision.approvals,
        matchedRule: decision.matchedRule ?? null,
        policies: decision.evaluated.policies,
        document: decision.evaluated.document ?? null,
      },
      context: input.audit.context,
    });
    await appendDecision(tx, {
      kind: "signing.decision",
      organizationId: input.organizationId,
      decisionId: row.id,
      decision: decision.outcome,
      actor: { type: input.audit.actor.type, id: input.audit.actor.id ?? null },
      digest: input.messageHash,
      subject: { type: "signer", id: input.signerId },
      details: { mode: input.mode, request_kind: input.request.kind, policies: toLeafJson(decision.evaluated.policies), document: toLeafJson(decision.evaluated.document ?? null), matched_rule: toLeafJson(decision.matchedRule ?? null) },
      time: now,
    });
    // Countersign's own evidence for the agent's trust score (when its organization turned it on).
    if (decision.outcome !== "require_approval") await recordEvidence(tx, [{ agentId, kind: decision.outcome === "allow" ? "signing.allowed" : "signing.denied", ref: row.id, at: now.getTime() }]);
    return { decision, signingRequestId: row.id, ceremony };
  });
  // Counted once committed.
  recordPolicyDecision(record.decision.outcome);
  for (const kind of ["sign", "dkg"]) recordCeremonyEnded(kind, "expired", expired.filter((c) => c.kind === kind).length);
  return record;
}
