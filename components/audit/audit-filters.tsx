"use client";

import { useId, useState, type FormEvent } from "react";
import { useSigners } from "../api/signers";
import { Button, buttonClasses } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import {
  ACTION_SUGGESTIONS,
  EMPTY_AUDIT_FILTER,
  RESOURCE_TYPES,
  auditExportPath,
  isFiltered,
  validateAuditFilter,
  type AuditFilterErrors,
  type AuditFilterForm,
} from "./audit-filter";

/** Filter form for the audit log; applied filters live in the URL, so a filtered view can be shared. */
export function AuditFilters({ organizationId, filter, onApply }: { organizationId: string; filter: AuditFilterForm; onApply: (next: AuditFilterForm) => void }) {
  const [form, setForm] = useState<AuditFilterForm>(filter);
  const [errors, setErrors] = useState<AuditFilterErrors>({});
  const signers = useSigners(organizationId);
  const actionsId = useId();

  const set = (key: keyof AuditFilterForm) => (value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateAuditFilter(form);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    onApply(form);
  }

  const signerOptions = [{ value: "", label: "All signers" }, ...(signers.data ?? []).map((s) => ({ value: s.id, label: s.name }))];
  if (filter.signer && !signerOptions.some((o) => o.value === filter.signer)) signerOptions.push({ value: filter.signer, label: "Selected signer" });

  return (
    <form onSubmit={submit} noValidate aria-label="Filter audit events" className="rounded-xl border border-border bg-surface p-4 shadow-card">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Search" error={errors.q}>
          {(control) => <Input {...control} type="search" value={form.q} placeholder="Action, actor or resource id" onChange={(e) => set("q")(e.target.value)} />}
        </Field>
        <Field label="Action" hint="Exact, or a prefix such as policy.*" error={errors.action}>
          {(control) => (
            <>
              <Input {...control} list={actionsId} value={form.action} placeholder="policy.*" autoComplete="off" onChange={(e) => set("action")(e.target.value)} />
              <datalist id={actionsId}>
                {ACTION_SUGGESTIONS.map((a) => (
                  <option key={a} value={a} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Resource type" error={errors.resourceType}>
          {(control) => (
            <Select
              {...control}
              value={form.resourceType}
              onChange={(e) => set("resourceType")(e.target.value)}
              options={[{ value: "", label: "Any resource" }, ...RESOURCE_TYPES.map((t) => ({ value: t, label: t.replace(/_/g, " ") }))]}
            />
          )}
        </Field>
        <Field label="Signer" error={errors.signer}>
          {(control) => <Select {...control} value={form.signer} onChange={(e) => set("signer")(e.target.value)} options={signerOptions} />}
        </Field>
        <Field label="From" error={errors.from}>
          {(control) => <Input {...control} type="date" value={form.from} onChange={(e) => set("from")(e.target.value)} />}
        </Field>
        <Field label="Until (inclusive)" error={errors.to}>
          {(control) => <Input {...control} type="date" value={form.to} onChange={(e) => set("to")(e.target.value)} />}
        </Field>
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-2">
        <Button type="submit">Apply filters</Button>
        {isFiltered(filter) || isFiltered(form) ? (
          <Button
            variant="ghost"
            onClick={() => {
              setForm(EMPTY_AUDIT_FILTER);
              setErrors({});
              onApply(EMPTY_AUDIT_FILTER);
            }}
          >
            Clear
          </Button>
        ) : null}
        <a href={auditExportPath(filter)} download className={buttonClasses("secondary", "md", "sm:ml-auto")}>
          Download CSV
        </a>
      </div>
    </form>
  );
}
