"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import type { ValidationIssue } from "@/lib/policy/errors";
import type { Outcome } from "@/lib/policy/types";
import { ApiError, describeError } from "../api/errors";
import { saveDraft, type DocumentView } from "../api/policies";
import { queryKeys } from "../api/query-keys";
import { auditLogPrefix } from "../api/signers";
import { AlertIcon, CheckCircleIcon, PlusIcon, TrashIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { cn } from "../ui/cn";
import { Input, controlClasses } from "../ui/input";
import { Select } from "../ui/select";
import { useToast } from "../ui/toast";
import {
  ACTION_LABEL,
  BASE_FIELDS,
  FIELD_LABEL,
  OP_LABEL,
  fromDocument,
  issuesForRule,
  newKey,
  operatorsFor,
  previewRule,
  toDocument,
  validateDocument,
  type EditorCondition,
  type EditorDoc,
  type EditorRule,
  type Validation,
} from "./rules-editor-model";

const ACTION_OPTIONS = (["allow", "deny", "require_approval"] as const).map((a) => ({ value: a, label: ACTION_LABEL[a] }));

const VALUE_PLACEHOLDER: Record<string, string> = {
  to: "0x… address",
  value: "1 ETH",
  selector: "transfer(address,uint256) or 0xa9059cbb",
  chainId: "1",
  token: "0x… token address",
  tokenAmount: "1000000",
  counterparty: "0x… address",
  hour: "0-23",
  weekday: "sat",
  kind: "transaction",
};

function issueText(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

function ConditionRow({
  condition,
  index,
  ruleLabel,
  disabled,
  lists,
  onChange,
  onRemove,
}: {
  condition: EditorCondition;
  index: number;
  ruleLabel: string;
  disabled: boolean;
  lists: string[];
  onChange: (next: EditorCondition) => void;
  onRemove: () => void;
}) {
  const fields = condition.field.startsWith("args.") ? [...BASE_FIELDS, condition.field] : BASE_FIELDS;
  const ops = operatorsFor(condition.field);
  const listOp = condition.op === "inList" || condition.op === "notInList";
  const label = `${ruleLabel} condition ${index + 1}`;
  return (
    <li className="grid grid-cols-[1fr_auto] gap-2 sm:grid-cols-[11rem_8rem_1fr_auto]">
      <Select
        aria-label={`${label} field`}
        disabled={disabled}
        value={condition.field}
        className="col-span-2 sm:col-span-1"
        onChange={(e) => {
          const field = e.target.value;
          const allowed = operatorsFor(field);
          onChange({ ...condition, field, op: allowed.includes(condition.op) ? condition.op : allowed[0]! });
        }}
        options={fields.map((f) => ({ value: f, label: FIELD_LABEL[f] ?? f }))}
      />
      <Select
        aria-label={`${label} operator`}
        disabled={disabled}
        value={condition.op}
        className="col-span-2 sm:col-span-1"
        onChange={(e) => onChange({ ...condition, op: e.target.value as EditorCondition["op"] })}
        options={ops.map((op) => ({ value: op, label: OP_LABEL[op] }))}
      />
      {listOp && lists.length > 0 ? (
        <Select
          aria-label={`${label} value`}
          disabled={disabled}
          value={condition.value}
          onChange={(e) => onChange({ ...condition, value: e.target.value })}
          options={[{ value: "", label: "Choose a list" }, ...lists.map((l) => ({ value: l, label: l }))]}
        />
      ) : (
        <Input
          aria-label={`${label} value`}
          disabled={disabled}
          value={condition.value}
          placeholder={listOp ? "list name" : condition.op === "in" || condition.op === "notIn" ? "comma-separated values" : (VALUE_PLACEHOLDER[condition.field] ?? "value")}
          onChange={(e) => onChange({ ...condition, value: e.target.value })}
        />
      )}
      <Button variant="ghost" size="sm" className="h-10" disabled={disabled} onClick={onRemove} aria-label={`Remove ${label}`} icon={<TrashIcon className="size-4" />} />
    </li>
  );
}

function RuleCard({
  doc,
  rule,
  index,
  count,
  issues,
  disabled,
  onChange,
  onMove,
  onRemove,
}: {
  doc: EditorDoc;
  rule: EditorRule;
  index: number;
  count: number;
  issues: ValidationIssue[];
  disabled: boolean;
  onChange: (next: EditorRule) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  const preview = useMemo(() => previewRule(doc, rule), [doc, rule]);
  const label = `Rule ${index + 1}`;
  const tone = rule.action === "deny" ? "danger" : rule.action === "require_approval" ? "warning" : "success";
  return (
    <li data-testid={`rule-${index + 1}`} className={cn("rounded-xl border bg-surface p-3 sm:p-4", issues.length ? "border-danger/50" : "border-border")}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="inline-flex size-6 items-center justify-center rounded-full bg-surface-muted text-xs font-semibold text-fg-muted">{index + 1}</span>
        <div className="w-40 sm:w-56">
          <Input aria-label={`${label} id`} disabled={disabled} value={rule.id} className="h-8 font-mono text-xs" onChange={(e) => onChange({ ...rule, id: e.target.value })} />
        </div>
        <Badge tone={tone}>{ACTION_LABEL[rule.action]}</Badge>
        <div className="ml-auto flex gap-1">
          <Button variant="ghost" size="sm" disabled={disabled || index === 0} onClick={() => onMove(-1)} aria-label={`Move ${label} up`}>
            ↑
          </Button>
          <Button variant="ghost" size="sm" disabled={disabled || index === count - 1} onClick={() => onMove(1)} aria-label={`Move ${label} down`}>
            ↓
          </Button>
          <Button variant="ghost" size="sm" disabled={disabled} onClick={onRemove} aria-label={`Delete ${label}`} icon={<TrashIcon className="size-4" />} />
        </div>
      </div>
      <Input
        aria-label={`${label} description`}
        disabled={disabled}
        value={rule.description}
        placeholder="Description (optional)"
        className="mt-2 h-9"
        onChange={(e) => onChange({ ...rule, description: e.target.value })}
      />
      <div className="mt-3 space-y-2">
        <p className="text-xs font-semibold tracking-wide text-fg-muted uppercase">When {rule.conditions.length > 1 ? "all of these hold" : ""}</p>
        {rule.rawWhen !== undefined ? (
          <p className="rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted">This rule uses a nested condition (any / not). Edit it in the JSON view.</p>
        ) : rule.conditions.length === 0 ? (
          <p className="text-sm text-fg-muted">No conditions: the rule matches every request.</p>
        ) : (
          <ul className="space-y-2" aria-label={`${label} conditions`}>
            {rule.conditions.map((condition, ci) => (
              <ConditionRow
                key={ci}
                condition={condition}
                index={ci}
                ruleLabel={label}
                disabled={disabled}
                lists={Object.keys(doc.lists)}
                onChange={(next) => onChange({ ...rule, conditions: rule.conditions.map((c, i) => (i === ci ? next : c)) })}
                onRemove={() => onChange({ ...rule, conditions: rule.conditions.filter((_, i) => i !== ci) })}
              />
            ))}
          </ul>
        )}
        <div className="flex flex-wrap items-center gap-2">
          {rule.rawWhen === undefined ? (
            <Button
              variant="secondary"
              size="sm"
              disabled={disabled}
              icon={<PlusIcon className="size-4" />}
              onClick={() => onChange({ ...rule, conditions: [...rule.conditions, { field: "value", op: "gt", value: "" }] })}
            >
              Add condition
            </Button>
          ) : null}
          <label className="ml-auto flex items-center gap-2 text-sm text-fg">
            <span className="text-fg-muted">Then</span>
            <Select aria-label={`${label} action`} disabled={disabled} value={rule.action} onChange={(e) => onChange({ ...rule, action: e.target.value as Outcome })} options={ACTION_OPTIONS} />
          </label>
        </div>
      </div>
      <div className="mt-3 border-t border-border pt-2 text-sm" aria-live="polite">
        {issues.length > 0 ? (
          <ul className="space-y-0.5 text-danger-soft-fg" data-testid="rule-issues">
            {issues.map((issue, i) => (
              <li key={i} className="flex gap-1.5">
                <AlertIcon className="mt-0.5 size-4 shrink-0" />
                <span className="break-words">{issueText(issue)}</span>
              </li>
            ))}
          </ul>
        ) : preview ? (
          <p className="text-fg" data-testid="rule-preview">
            <span className="text-fg-muted">Reads: </span>
            {preview}
          </p>
        ) : null}
      </div>
    </li>
  );
}

function ListsEditor({ doc, disabled, onChange }: { doc: EditorDoc; disabled: boolean; onChange: (lists: Record<string, string[]>) => void }) {
  const [name, setName] = useState("");
  const names = Object.keys(doc.lists);
  return (
    <details className="rounded-lg border border-border px-3 py-2">
      <summary className="cursor-pointer text-sm font-medium text-fg">
        Address lists <span className="text-fg-muted">({names.length})</span>
      </summary>
      <p className="mt-1 text-xs text-fg-muted">Named lists for “is in list” conditions, e.g. a treasury allow-list.</p>
      <div className="mt-2 space-y-3">
        {names.map((list) => (
          <div key={list}>
            <div className="flex items-center justify-between">
              <span className="font-mono text-xs font-semibold text-fg">{list}</span>
              <Button
                variant="ghost"
                size="sm"
                disabled={disabled}
                aria-label={`Remove list ${list}`}
                icon={<TrashIcon className="size-4" />}
                onClick={() => {
                  const next = { ...doc.lists };
                  delete next[list];
                  onChange(next);
                }}
              />
            </div>
            <textarea
              aria-label={`Addresses in list ${list}`}
              disabled={disabled}
              className={cn(controlClasses, "mt-1 min-h-20 py-2 font-mono text-xs")}
              value={doc.lists[list]!.join("\n")}
              onChange={(e) => onChange({ ...doc.lists, [list]: e.target.value.split(/[\s,;]+/).filter(Boolean) })}
            />
          </div>
        ))}
        <div className="flex gap-2">
          <Input aria-label="New list name" disabled={disabled} value={name} placeholder="treasury" className="h-9" onChange={(e) => setName(e.target.value)} />
          <Button
            variant="secondary"
            size="sm"
            className="h-9"
            disabled={disabled || !name.trim() || name.trim() in doc.lists}
            onClick={() => {
              onChange({ ...doc.lists, [name.trim()]: [] });
              setName("");
            }}
          >
            Add list
          </Button>
        </div>
      </div>
    </details>
  );
}

export interface RulesEditorProps {
  organizationId: string;
  signerId: string;
  canManage: boolean;
  /** What the editor starts from: the draft, else the active version, else a starter. */
  initial: EditorDoc;
  draft: DocumentView | null;
  active: DocumentView | null;
  /** Reports the document being edited (and whether it validates) so the diff and backtest can follow it. */
  onDocumentChange: (source: unknown, validation: Validation, dirty: boolean) => void;
}

/** Rows editor + JSON view over one rules document, validated live with parseRulesDocument. */
export function RulesEditor({ organizationId, signerId, canManage, initial, draft, active, onDocumentChange }: RulesEditorProps) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const jsonId = useId();
  const [doc, setDoc] = useState<EditorDoc>(initial);
  const [view, setView] = useState<"rows" | "json">("rows");
  const [jsonText, setJsonText] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [jsonSource, setJsonSource] = useState<unknown>(undefined);
  const [dirty, setDirty] = useState(false);
  const [serverIssues, setServerIssues] = useState<ValidationIssue[]>([]);

  const source = view === "json" && jsonSource !== undefined ? jsonSource : toDocument(doc);
  const validation = useMemo(() => validateDocument(source), [source]);
  const issues = validation.ok ? serverIssues : validation.issues;

  const report = (nextSource: unknown, nextDirty: boolean) => onDocumentChange(nextSource, validateDocument(nextSource), nextDirty);

  const update = (next: EditorDoc) => {
    setDoc(next);
    setDirty(true);
    setServerIssues([]);
    report(toDocument(next), true);
  };

  const save = useMutation({
    mutationFn: () => {
      if (!validation.ok) throw new Error("Fix the problems above first.");
      return saveDraft(signerId, validation.document);
    },
    onSuccess: async (saved) => {
      setDirty(false);
      report(source, false);
      toast({ title: `Draft saved as version ${saved.version}`, tone: "success" });
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.policies.signer(organizationId, signerId) }), queryClient.invalidateQueries({ queryKey: auditLogPrefix })]);
    },
    onError: (error) => {
      if (error instanceof ApiError) setServerIssues(error.violations.filter((v) => v.path).map((v) => ({ path: v.path!.replace(/^body\.?/, ""), message: v.message })));
    },
  });

  function switchView(next: "rows" | "json") {
    if (next === view) return;
    if (next === "json") {
      const text = JSON.stringify(toDocument(doc), null, 2);
      setJsonText(text);
      setJsonSource(toDocument(doc));
      setJsonError(null);
    } else if (jsonSource !== undefined) {
      setDoc(fromDocument(jsonSource));
    }
    setView(next);
  }

  function editJson(text: string) {
    setJsonText(text);
    setDirty(true);
    setServerIssues([]);
    try {
      const parsed = JSON.parse(text) as unknown;
      setJsonSource(parsed);
      setJsonError(null);
      report(parsed, true);
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : "Not valid JSON");
    }
  }

  const disabled = !canManage;
  const documentIssues = issues.filter((i) => !i.path.startsWith("rules["));

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Rules</CardTitle>
          <CardDescription>An ordered list: the first rule that matches decides. Requests no rule matches get the default action.</CardDescription>
        </div>
        <div role="tablist" aria-label="Editor view" className="inline-flex rounded-lg border border-border p-0.5">
          {(["rows", "json"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              onClick={() => switchView(v)}
              className={cn("rounded-md px-3 py-1 text-sm font-medium", view === v ? "bg-accent-soft text-accent-soft-fg" : "text-fg-muted hover:text-fg")}
            >
              {v === "rows" ? "Rules" : "JSON"}
            </button>
          ))}
        </div>
      </CardHeader>
      <CardBody className="space-y-4">
        {view === "rows" ? (
          <>
            <div className="grid gap-3 sm:grid-cols-2">
              <label className="block space-y-1.5 text-sm font-medium text-fg">
                <span>Default action</span>
                <Select disabled={disabled} value={doc.defaultAction} onChange={(e) => update({ ...doc, defaultAction: e.target.value as Outcome })} options={ACTION_OPTIONS} />
              </label>
              <label className="block space-y-1.5 text-sm font-medium text-fg">
                <span>Time zone for hour and weekday</span>
                <Input disabled={disabled} value={doc.timeZone} onChange={(e) => update({ ...doc, timeZone: e.target.value })} />
              </label>
            </div>
            <ListsEditor doc={doc} disabled={disabled} onChange={(lists) => update({ ...doc, lists })} />
            {doc.rules.length === 0 ? (
              <p className="rounded-lg border border-dashed border-border-strong px-4 py-6 text-center text-sm text-fg-muted">
                No rules yet: every request gets the default action ({ACTION_LABEL[doc.defaultAction].toLowerCase()}).
              </p>
            ) : (
              <ol className="space-y-3" aria-label="Rules">
                {doc.rules.map((rule, index) => (
                  <RuleCard
                    key={rule.key}
                    doc={doc}
                    rule={rule}
                    index={index}
                    count={doc.rules.length}
                    issues={issuesForRule(issues, index)}
                    disabled={disabled}
                    onChange={(next) => update({ ...doc, rules: doc.rules.map((r, i) => (i === index ? next : r)) })}
                    onMove={(delta) => {
                      const rules = [...doc.rules];
                      const [moved] = rules.splice(index, 1);
                      rules.splice(index + delta, 0, moved!);
                      update({ ...doc, rules });
                    }}
                    onRemove={() => update({ ...doc, rules: doc.rules.filter((_, i) => i !== index) })}
                  />
                ))}
              </ol>
            )}
            {canManage ? (
              <Button
                variant="secondary"
                icon={<PlusIcon className="size-4" />}
                onClick={() => {
                  const taken = new Set(doc.rules.map((r) => r.id));
                  let n = doc.rules.length + 1;
                  while (taken.has(`rule-${n}`)) n++;
                  update({ ...doc, rules: [...doc.rules, { key: newKey(), id: `rule-${n}`, description: "", action: "deny", conditions: [{ field: "value", op: "gt", value: "" }], rawWhen: undefined }] });
                }}
              >
                Add rule
              </Button>
            ) : null}
          </>
        ) : (
          <div className="space-y-1.5">
            <label htmlFor={jsonId} className="block text-sm font-medium text-fg">
              Rules document (JSON)
            </label>
            <textarea
              id={jsonId}
              spellCheck={false}
              disabled={disabled}
              aria-invalid={jsonError || !validation.ok ? true : undefined}
              className={cn(controlClasses, "min-h-96 py-2 font-mono text-xs leading-relaxed")}
              value={jsonText}
              onChange={(e) => editJson(e.target.value)}
            />
            {jsonError ? (
              <p role="alert" className="text-xs font-medium text-danger-soft-fg">
                Not valid JSON: {jsonError}
              </p>
            ) : null}
          </div>
        )}

        <div aria-live="polite" className="space-y-2">
          {jsonError && view === "json" ? null : validation.ok && serverIssues.length === 0 ? (
            <p className="flex items-center gap-2 text-sm text-success-soft-fg" data-testid="rules-valid">
              <CheckCircleIcon className="size-4" /> Valid: {validation.document.rules.length} rule{validation.document.rules.length === 1 ? "" : "s"}, default {ACTION_LABEL[validation.document.defaultAction].toLowerCase()}.
            </p>
          ) : (
            <div role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg" data-testid="rules-invalid">
              <p className="font-semibold">
                {issues.length} problem{issues.length === 1 ? "" : "s"} to fix before saving
              </p>
              {(view === "json" ? issues : documentIssues).length > 0 ? (
                <ul className="mt-1 list-disc space-y-0.5 pl-5">
                  {(view === "json" ? issues : documentIssues).map((issue, i) => (
                    <li key={i} className="break-words">
                      {issueText(issue)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          )}
        </div>

        {canManage ? (
          <div className="flex flex-wrap items-center gap-3 border-t border-border pt-4">
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!validation.ok || (view === "json" && jsonError !== null)}>
              Save draft
            </Button>
            <span className="text-sm text-fg-muted">
              {dirty ? "Unsaved changes" : draft ? `Draft version ${draft.version} saved` : active ? `Same as the active version ${active.version}` : "Not saved yet"}
            </span>
            {save.isError && serverIssues.length === 0 ? (
              <p role="alert" className="w-full text-sm text-danger-soft-fg">
                {describeError(save.error)}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-fg-muted">You have read-only access. Owners and admins can edit rules.</p>
        )}
      </CardBody>
    </Card>
  );
}

export { fromDocument };
