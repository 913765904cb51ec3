/** Rules documents in the database (I/O): the active one per signer, its draft and its history. */
import { trustTimeline } from "@/lib/trust/store";
import { getAddress } from "viem";
import type { AuditActor, AuditContext } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Db, DbOrTx, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError, BadRequestError, ConflictError } from "@/lib/http/errors";
import { backtest, type BacktestItem, type BacktestSummary, type HistoryItem } from "./backtest";
import type { ActiveRulesDocument } from "./engine";
import { PolicyValidationError } from "./errors";
import { HISTORY_KINDS, historyItemFromRow, requestView, type RequestView } from "./history";
import { compileRules, describeRule, parseRulesDocument, type RulesDocument } from "./rules";
import { parsePolicy } from "./schemas";
import type { ActivePolicy, Address, Outcome, TokenRef } from "./types";

const compiled = new Map<string, ActiveRulesDocument>();

/** The signer's active rules document, compiled once per (id, version); undefined when none is active. */
export async function loadActiveRulesDocument(db: DbOrTx, signerId: string): Promise<ActiveRulesDocument | undefined> {
  const row = await db.policyDocument.findFirst({ where: { signerId, status: "active" } });
  if (!row) return undefined;
  const key = `${row.id}:${row.version}`;
  let doc = compiled.get(key);
  if (!doc) {
    doc = { id: row.id, version: row.version, rules: compileRules(row.rules) };
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, doc);
  }
  return doc;
}

/* ───────────────────────── Views ───────────────────────── */

type DocumentRow = {
  id: string;
  signerId: string;
  version: number;
  status: "draft" | "active" | "superseded";
  rules: unknown;
  createdById: string | null;
  activatedById: string | null;
  activatedAt: Date | null;
  supersededAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

type UserRef = { id: string; email: string | null };

export interface DocumentView {
  id: string;
  signerId: string;
  version: number;
  status: "draft" | "active" | "superseded";
  rules: unknown;
  preview: string[];
  createdAt: string;
  createdBy: UserRef | null;
  /** Last change of the row: a draft's rules replaced in place keep their version but not this. */
  updatedAt: string;
  activatedAt: string | null;
  activatedBy: UserRef | null;
  supersededAt: string | null;
}

/** One readable line per rule; a stored document that no longer parses shows why instead. */
function previewOf(rules: unknown): string[] {
  try {
    return parseRulesDocument(rules).rules.map((r) => describeRule(r));
  } catch (error) {
    if (error instanceof PolicyValidationError) return [`(stored document no longer validates: ${error.message})`];
    throw error;
  }
}

async function usersById(db: DbOrTx, rows: readonly DocumentRow[]): Promise<Map<string, UserRef>> {
  const ids = [...new Set(rows.flatMap((r) => [r.createdById, r.activatedById]).filter((x): x is string => x !== null))];
  if (ids.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(users.map((u) => [u.id, u]));
}

function toView(r: DocumentRow, users: Map<string, UserRef>): DocumentView {
  const user = (id: string | null) => (id === null ? null : users.get(id) ?? { id, email: null });
  return {
    id: r.id,
    signerId: r.signerId,
    version: r.version,
    status: r.status,
    rules: r.rules,
    preview: previewOf(r.rules),
    createdAt: r.createdAt.toISOString(),
    createdBy: user(r.createdById),
    updatedAt: r.updatedAt.toISOString(),
    activatedAt: r.activatedAt?.toISOString() ?? null,
    activatedBy: user(r.activatedById),
    supersededAt: r.supersededAt?.toISOString() ?? null,
  };
}

export async function documentViews(db: DbOrTx, rows: readonly DocumentRow[]): Promise<DocumentView[]> {
  const users = await usersById(db, rows);
  return rows.map((r) => toView(r, users));
}

async function viewOrNull(db: DbOrTx, row: DocumentRow | null): Promise<DocumentView | null> {
  return row ? ((await documentViews(db, [row]))[0] ?? null) : null;
}

export async function getActiveDocument(db: DbOrTx, signerId: string): Promise<DocumentView | null> {
  return viewOrNull(db, await db.policyDocument.findFirst({ where: { signerId, status: "active" } }));
}

export async function getDraftDocument(db: DbOrTx, signerId: string): Promise<DocumentView | null> {
  return viewOrNull(db, await db.policyDocument.findFirst({ where: { signerId, status: "draft" } }));
}

/** Every version of the signer's document, newest first, with who created and who activated it. */
export async function listDocumentHistory(db: DbOrTx, signerId: string): Promise<DocumentView[]> {
  return documentViews(db, await db.policyDocument.findMany({ where: { signerId }, orderBy: { version: "desc" } }));
}

/* ───────────────────────── Validation ───────────────────────── */

/**
 * Parses a rules document from a request body; an invalid one is a 400 naming every problem by its
 * path under `at` (e.g. body.rules[3].when.all[0].op).
 */
export function validateRulesDocument(input: unknown, at = "body"): RulesDocument {
  try {
    return parseRulesDocument(input);
  } catch (error) {
    if (error instanceof PolicyValidationError) {
      throw new BadRequestError(
        error.message,
        error.issues.map((i) => ({ field: i.path ? `${at}.${i.path}` : at, message: i.message })),
      );
    }
    throw error;
  }
}

/* ───────────────────────── Writes ───────────────────────── */

export interface WriteInput {
  organizationId: string;
  signerId: string;
  /** The user making the change (null for an API key). */
  userId: string | null;
  actor: AuditActor;
  context?: AuditContext;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== "object" || error instanceof ApiError) return false;
  if (e.code === "P2002" || e.code === "23505") return true;
  if (typeof e.message === "string" && /unique constraint|duplicate key/i.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error && isUniqueViolation(e.cause);
}

/**
 * Runs one change to a signer's documents with the signer row locked, so concurrent draft writes and
 * activations queue up instead of racing the one-draft/one-active index. Should a unique violation
 * still happen (e.g. a writer that does not take the lock), it becomes a 409, never a 500.
 */
async function withSignerLock<T>(db: Db, signerId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "signers" WHERE "id" = ${signerId}::uuid FOR UPDATE`;
      return fn(tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError("The signer's policy was changed by another request at the same time; reload and try again");
    throw error;
  }
}

async function nextVersion(tx: Tx, signerId: string): Promise<number> {
  const max = await tx.policyDocument.aggregate({ where: { signerId }, _max: { version: true } });
  return (max._max.version ?? 0) + 1;
}

/** Creates the signer's draft (next version) or replaces the existing draft's rules (same version). */
export async function saveDraft(db: Db, input: WriteInput & { document: RulesDocument }): Promise<DocumentView> {
  return withSignerLock(db, input.signerId, async (tx) => {
    const existing = await tx.policyDocument.findFirst({ where: { signerId: input.signerId, status: "draft" } });
    const rules = input.document as unknown as Prisma.InputJsonValue;
    const row = existing
      ? await tx.policyDocument.update({ where: { id: existing.id }, data: { rules, createdById: input.userId } })
      : await tx.policyDocument.create({
          data: { organizationId: input.organizationId, signerId: input.signerId, version: await nextVersion(tx, input.signerId), status: "draft", rules, createdById: input.userId },
        });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: "policy.draft_saved",
      resourceType: "policy_document",
      resourceId: row.id,
      details: { signerId: input.signerId, documentId: row.id, version: row.version, ruleCount: input.document.rules.length, replacedDraft: existing !== null },
      context: input.context,
    });
    return (await documentViews(tx, [row]))[0]!;
  });
}

async function supersedeActive(tx: Tx, signerId: string, at: Date) {
  const previous = await tx.policyDocument.findFirst({ where: { signerId, status: "active" } });
  if (previous) await tx.policyDocument.update({ where: { id: previous.id }, data: { status: "superseded", supersededAt: at } });
  return previous;
}

/** Activates the draft; `expect` guards against activating a draft that changed since the caller looked. */
export async function activateDraft(db: Db, input: WriteInput & { expect?: { version?: number; updatedAt?: string } }): Promise<DocumentView> {
  return withSignerLock(db, input.signerId, async (tx) => {
    const draft = await tx.policyDocument.findFirst({ where: { signerId: input.signerId, status: "draft" } });
    if (!draft) throw new ConflictError("This signer has no draft policy to activate; save one with PUT /signers/{id}/policy/draft first");
    const want = input.expect ?? {};
    if (want.version !== undefined && want.version !== draft.version) {
      throw new ConflictError(`The draft is version ${draft.version}, not version ${want.version}; review it again before activating`);
    }
    if (want.updatedAt !== undefined && Date.parse(want.updatedAt) !== draft.updatedAt.getTime()) {
      throw new ConflictError(`Draft version ${draft.version} was changed at ${draft.updatedAt.toISOString()}; review it again before activating`);
    }
    const now = new Date();
    const previous = await supersedeActive(tx, input.signerId, now);
    const row = await tx.policyDocument.update({ where: { id: draft.id }, data: { status: "active", activatedAt: now, activatedById: input.userId } });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: "policy.activated",
      resourceType: "policy_document",
      resourceId: row.id,
      details: { signerId: input.signerId, documentId: row.id, version: row.version, previousActiveVersion: previous?.version ?? null, ruleCount: ruleCount(row.rules) },
      context: input.context,
    });
    return (await documentViews(tx, [row]))[0]!;
  });
}

/** Saves a new version and activates it at once (PUT /policy). An existing draft is left as it is. */
export async function replaceActiveDocument(db: Db, input: WriteInput & { document: RulesDocument }): Promise<DocumentView> {
  return withSignerLock(db, input.signerId, async (tx) => {
    const now = new Date();
    const previous = await supersedeActive(tx, input.signerId, now);
    const row = await tx.policyDocument.create({
      data: {
        organizationId: input.organizationId,
        signerId: input.signerId,
        version: await nextVersion(tx, input.signerId),
        status: "active",
        rules: input.document as unknown as Prisma.InputJsonValue,
        createdById: input.userId,
        activatedById: input.userId,
        activatedAt: now,
      },
    });
    await recordAudit(tx, {
      organizationId: input.organizationId,
      actor: input.actor,
      action: "policy.document_replaced",
      resourceType: "policy_document",
      resourceId: row.id,
      details: { signerId: input.signerId, documentId: row.id, version: row.version, previousActiveVersion: previous?.version ?? null, ruleCount: input.document.rules.length },
      context: input.context,
    });
    return (await documentViews(tx, [row]))[0]!;
  });
}

function ruleCount(rules: unknown): number | null {
  const list = (rules as { rules?: unknown } | null)?.rules;
  return Array.isArray(list) ? list.length : null;
}

/* ───────────────────────── Backtest ───────────────────────── */

/** The signer's enabled built-in policies, as the engine takes them. */
export async function loadEnabledPolicies(db: DbOrTx, signerId: string): Promise<ActivePolicy[]> {
  const rows = await db.policy.findMany({ where: { signerId, enabled: true, deletedAt: null }, orderBy: { createdAt: "asc" } });
  return rows.map((p) => parsePolicy({ id: p.id, version: p.version, type: p.type, config: p.config }));
}

export const BACKTEST_PAGE_SIZE = 500;
export const BACKTEST_MAX_ITEMS = 1000;

export interface BacktestItemView {
  id: string;
  at: string;
  request: RequestView;
  then: Outcome;
  now: Outcome;
  changed: boolean;
  reasons: string[];
  matchedRuleId: string | null;
}

export interface BacktestView {
  /** The replayed document: the draft's id and version, or null for a document sent in the body. */
  document: { id: string; version: number } | null;
  items: BacktestItemView[];
  summary: BacktestSummary;
  /** True when `items` holds only the most recent `maxItems`; the summary always covers everything. */
  truncated: boolean;
  /** History rows that could not be replayed (malformed or unknown request), not in the summary. */
  skipped: number;
}

/** Reads the signer's signing history oldest first, page by page (keyset on createdAt, id). */
async function* signingHistory(db: DbOrTx, signerId: string, pageSize: number) {
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const page: { id: string; kind: string; request: unknown; outcome: string; createdAt: Date }[] = await db.signingRequest.findMany({
      where: {
        signerId,
        kind: { in: [...HISTORY_KINDS] },
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: pageSize,
      select: { id: true, kind: true, request: true, outcome: true, createdAt: true },
    });
    yield* page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/**
 * Replays `document` (or, when absent, the signer's draft) over the signer's whole signing history
 * together with its enabled built-in policies. The summary covers every replayed request; items are
 * capped to the most recent `maxItems`.
 */
export async function backtestSigner(
  db: DbOrTx,
  input: { signerId: string; document?: RulesDocument; maxItems?: number; pageSize?: number },
): Promise<BacktestView> {
  let draft: ActiveRulesDocument;
  let documentRef: BacktestView["document"] = null;
  if (input.document) {
    draft = { id: "backtest", version: 0, rules: compileRules(input.document) };
  } else {
    const row = await db.policyDocument.findFirst({ where: { signerId: input.signerId, status: "draft" } });
    if (!row) throw new BadRequestError("This signer has no draft policy; send a rules document as body.document or save a draft first", [{ field: "body.document", message: "Required when the signer has no draft" }]);
    try {
      draft = { id: row.id, version: row.version, rules: compileRules(row.rules) };
    } catch (error) {
      if (error instanceof PolicyValidationError) throw new ConflictError(`The stored draft (version ${row.version}) no longer validates; save it again: ${error.message}`);
      throw error;
    }
    documentRef = { id: row.id, version: row.version };
  }
  const policies = await loadEnabledPolicies(db, input.signerId);

  const history: HistoryItem[] = [];
  let skipped = 0;
  for await (const row of signingHistory(db, input.signerId, input.pageSize ?? BACKTEST_PAGE_SIZE)) {
    const r = historyItemFromRow(row);
    if (r.ok) history.push(r.item);
    else skipped++;
  }
  // Trust rules replay with the signer's agent's score as it was at each request (seed 001).
  const signer = await db.signer.findUnique({ where: { id: input.signerId }, select: { agentId: true } });
  const trustAt = await trustTimeline(db, signer?.agentId);
  const result = backtest({ history, draft, policies, trustAt });

  const maxItems = input.maxItems ?? BACKTEST_MAX_ITEMS;
  const kept: BacktestItem[] = result.items.slice(Math.max(0, result.items.length - maxItems));
  const requests = new Map(history.map((h) => [h.id, h.request]));
  const tokenInfo = await tokenLookup(db, input.signerId);
  const nativeSymbol = await nativeSymbolOf(db, input.signerId);
  return {
    document: documentRef,
    items: kept.map((item) => ({
      id: item.id,
      at: item.at.toISOString(),
      request: requestView(requests.get(item.id)!, { tokenInfo, nativeSymbol }),
      then: item.then,
      now: item.now,
      changed: item.changed,
      reasons: item.reasons,
      matchedRuleId: item.matchedRuleId,
    })),
    summary: result.summary,
    truncated: result.items.length > kept.length,
    skipped,
  };
}

/** Symbol and decimals of the signer's tracked tokens, for readable amounts. */
async function tokenLookup(db: DbOrTx, signerId: string): Promise<(address: Address, chainId: number | null) => TokenRef | undefined> {
  const tokens = await db.trackedToken.findMany({ where: { signerId } });
  const byKey = new Map<string, TokenRef>();
  for (const t of tokens) {
    const address = getAddress(t.address);
    const ref: TokenRef = { address, symbol: t.symbol, decimals: t.decimals };
    byKey.set(`${t.chainId}:${address}`, ref);
    if (!byKey.has(address)) byKey.set(address, ref);
  }
  return (address, chainId) => byKey.get(`${chainId}:${address}`) ?? byKey.get(address);
}

async function nativeSymbolOf(db: DbOrTx, signerId: string): Promise<string | undefined> {
  const signer = await db.signer.findUnique({ where: { id: signerId }, select: { chainId: true } });
  if (!signer) return undefined;
  const network = await db.network.findUnique({ where: { chainId: signer.chainId }, select: { nativeSymbol: true } });
  return network?.nativeSymbol;
}
