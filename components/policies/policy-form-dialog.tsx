"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import type { PolicyType, Weekday } from "@/lib/policy/types";
import { ApiError, describeError } from "../api/errors";
import { createBuiltinPolicy, updateBuiltinPolicy, type BuiltinPolicy } from "../api/policies";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input, controlClasses } from "../ui/input";
import { Select } from "../ui/select";
import {
  POLICY_TYPES,
  POLICY_TYPE_HINT,
  POLICY_TYPE_LABEL,
  WEEKDAYS,
  WEEKDAY_LABEL,
  buildConfig,
  emptyPolicyForm,
  errorsFromIssues,
  formFromConfig,
  timeZoneOptions,
  type FormErrors,
  type PolicyForm,
  type WindowUnit,
} from "./policy-format";

const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, "0")}:00` }));

function Checkbox({ label, hint, checked, onChange }: { label: string; hint?: string; checked: boolean; onChange: (value: boolean) => void }) {
  return (
    <label className="flex cursor-pointer items-start gap-3 rounded-lg border border-border px-3 py-2 hover:bg-surface-muted">
      <input type="checkbox" className="mt-0.5 size-4 accent-[var(--accent)]" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="min-w-0 text-sm">
        <span className="block font-medium text-fg">{label}</span>
        {hint ? <span className="block text-xs text-fg-muted">{hint}</span> : null}
      </span>
    </label>
  );
}

function TimeZoneField({ value, error, onChange }: { value: string; error?: string; onChange: (value: string) => void }) {
  const listId = useId();
  const zones = useMemo(() => timeZoneOptions(), []);
  return (
    <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin or America/New_York" error={error}>
      {(control) => (
        <>
          <Input {...control} list={listId} value={value} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
          <datalist id={listId}>
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}

function LimitFields({ type, form, errors, set }: { type: PolicyType; form: PolicyForm; errors: FormErrors; set: <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => void }) {
  const unit = form.asset === "native" ? "ETH" : form.tokenSymbol.trim() || "token units";
  return (
    <>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-fg">Counts</legend>
        <div className="grid grid-cols-2 gap-2">
          {(["native", "token"] as const).map((asset) => (
            <label
              key={asset}
              className={cn(
                "flex cursor-pointer items-center gap-2 rounded-lg border px-3 py-2 text-sm",
                form.asset === asset ? "border-accent bg-accent-soft text-accent-soft-fg" : "border-border hover:bg-surface-muted",
              )}
            >
              <input type="radio" name="asset" className="accent-[var(--accent)]" checked={form.asset === asset} onChange={() => set("asset", asset)} />
              {asset === "native" ? "Native ETH" : "An ERC-20 token"}
            </label>
          ))}
        </div>
      </fieldset>
      {form.asset === "token" ? (
        <div className="grid gap-3 sm:grid-cols-[1fr_6rem_7rem]">
          <Field label="Token address" error={errors.tokenAddress}>
            {(control) => <Input {...control} value={form.tokenAddress} placeholder="0x…" className="font-mono" onChange={(e) => set("tokenAddress", e.target.value)} />}
          </Field>
          <Field label="Decimals" error={errors.tokenDecimals}>
            {(control) => <Input {...control} inputMode="numeric" value={form.tokenDecimals} onChange={(e) => set("tokenDecimals", e.target.value)} />}
          </Field>
          <Field label="Symbol" error={errors.tokenSymbol}>
            {(control) => <Input {...control} value={form.tokenSymbol} placeholder="USDC" onChange={(e) => set("tokenSymbol", e.target.value)} />}
          </Field>
        </div>
      ) : null}
      <Field
        label={`Maximum amount (${unit})`}
        hint={
          form.asset === "token" && form.tokenDecimals.trim() === ""
            ? "Without decimals the amount is in base units."
            : type === "spending_limit"
              ? "Per transaction; exactly this amount still passes."
              : type === "daily_limit"
                ? "Total over any rolling 24 hours."
                : "Total per calendar month."
        }
        error={errors.amount}
      >
        {(control) => <Input {...control} inputMode="decimal" value={form.amount} placeholder="1.5" onChange={(e) => set("amount", e.target.value)} />}
      </Field>
      {type === "monthly_limit" ? <TimeZoneField value={form.timeZone} error={errors.timeZone} onChange={(v) => set("timeZone", v)} /> : null}
      <Checkbox
        label="Block unlimited token approvals"
        hint="An unlimited allowance could move any amount later, so it can never fit a limit."
        checked={form.blockUnlimitedApprovals}
        onChange={(v) => set("blockUnlimitedApprovals", v)}
      />
      {errors.blockUnlimitedApprovals ? <p className="text-xs font-medium text-danger-soft-fg">{errors.blockUnlimitedApprovals}</p> : null}
    </>
  );
}

function TextArea(props: React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea {...props} className={cn(controlClasses, "min-h-28 py-2 font-mono text-xs", props.className)} />;
}

function TypeFields({ type, form, errors, set }: { type: PolicyType; form: PolicyForm; errors: FormErrors; set: <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => void }) {
  switch (type) {
    case "spending_limit":
    case "daily_limit":
    case "monthly_limit":
      return <LimitFields type={type} form={form} errors={errors} set={set} />;
    case "allowed_contracts":
    case "blocked_addresses":
      return (
        <Field
          label={type === "allowed_contracts" ? "Contract addresses" : "Blocked addresses"}
          hint="One per line (commas and spaces work too)."
          error={errors.addresses}
        >
          {(control) => <TextArea {...control} value={form.addresses} placeholder={"0x…\n0x…"} onChange={(e) => set("addresses", e.target.value)} />}
        </Field>
      );
    case "allowed_functions":
      return (
        <>
          <Field label="Functions" hint="One per line: a 4-byte selector (0xa9059cbb) or a signature such as transfer(address,uint256)." error={errors.selectors}>
            {(control) => <TextArea {...control} value={form.selectors} placeholder={"transfer(address,uint256)\n0x095ea7b3"} onChange={(e) => set("selectors", e.target.value)} />}
          </Field>
          <Checkbox label="Allow plain ETH transfers" hint="Transfers with no calldata call no function." checked={form.allowNativeTransfers} onChange={(v) => set("allowNativeTransfers", v)} />
        </>
      );
    case "rate_limit":
      return (
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Requests" error={errors.maxRequests}>
            {(control) => <Input {...control} inputMode="numeric" value={form.maxRequests} onChange={(e) => set("maxRequests", e.target.value)} />}
          </Field>
          <Field label="Per" error={errors.windowAmount}>
            {(control) => <Input {...control} inputMode="numeric" value={form.windowAmount} onChange={(e) => set("windowAmount", e.target.value)} />}
          </Field>
          <Field label="Unit">
            {(control) => (
              <Select
                {...control}
                value={form.windowUnit}
                onChange={(e) => set("windowUnit", e.target.value as WindowUnit)}
                options={(["seconds", "minutes", "hours", "days"] as const).map((u) => ({ value: u, label: u }))}
              />
            )}
          </Field>
        </div>
      );
    case "time_window":
      return (
        <>
          <TimeZoneField value={form.timeZone} error={errors.timeZone} onChange={(v) => set("timeZone", v)} />
          <Checkbox label="Restrict hours" hint="A window like 22:00–06:00 wraps past midnight." checked={form.restrictHours} onChange={(v) => set("restrictHours", v)} />
          {form.restrictHours ? (
            <div className="grid grid-cols-2 gap-3">
              <Field label="From" error={errors.startHour}>
                {(control) => <Select {...control} value={form.startHour} onChange={(e) => set("startHour", e.target.value)} options={HOURS} />}
              </Field>
              <Field label="Until" error={errors.endHour}>
                {(control) => <Select {...control} value={form.endHour} onChange={(e) => set("endHour", e.target.value)} options={HOURS} />}
              </Field>
            </div>
          ) : null}
          <fieldset>
            <legend className="text-sm font-medium text-fg">Weekdays</legend>
            <div className="mt-1.5 flex flex-wrap gap-1.5">
              {WEEKDAYS.map((day) => {
                const on = form.weekdays.includes(day);
                return (
                  <label
                    key={day}
                    className={cn(
                      "cursor-pointer rounded-lg border px-3 py-1.5 text-sm font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
                      on ? "border-accent bg-accent-soft text-accent-soft-fg" : "border-border text-fg-muted hover:bg-surface-muted",
                    )}
                  >
                    <input
                      type="checkbox"
                      className="sr-only"
                      checked={on}
                      onChange={(e) => set("weekdays", (e.target.checked ? [...form.weekdays, day] : form.weekdays.filter((d) => d !== day)) as Weekday[])}
                    />
                    {WEEKDAY_LABEL[day]}
                  </label>
                );
              })}
            </div>
            {errors.weekdays ? <p className="mt-1.5 text-xs font-medium text-danger-soft-fg">{errors.weekdays}</p> : null}
          </fieldset>
        </>
      );
  }
}

export interface PolicyFormDialogProps {
  signerId: string;
  /** Edit this policy; absent: create a new one. */
  policy?: BuiltinPolicy;
  onClose: () => void;
  onSaved: (policy: BuiltinPolicy, created: boolean) => void;
}

export function PolicyFormDialog({ signerId, policy, onClose, onSaved }: PolicyFormDialogProps): ReactNode {
  const localZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", []);
  const [type, setType] = useState<PolicyType>(policy?.type ?? "spending_limit");
  const [form, setForm] = useState<PolicyForm>(() => (policy ? formFromConfig(policy.type, policy.config, localZone) : emptyPolicyForm(localZone)));
  const [errors, setErrors] = useState<FormErrors>({});

  const save = useMutation({
    mutationFn: (config: Record<string, unknown>) => (policy ? updateBuiltinPolicy(policy.id, { config }) : createBuiltinPolicy(signerId, type, config)),
    onSuccess: (saved) => onSaved(saved, !policy),
    onError: (error) => {
      if (error instanceof ApiError && error.violations.some((v) => v.path)) setErrors(errorsFromIssues(error.violations));
    },
  });

  const set = <K extends keyof PolicyForm>(key: K, value: PolicyForm[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => {
      if (!current[key] && !current.form) return current;
      const next = { ...current };
      delete next[key];
      return next;
    });
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const built = buildConfig(type, form);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    save.mutate(built.config);
  }

  const formId = useId();
  const generalError = errors.form ?? (save.isError && !(save.error instanceof ApiError && save.error.violations.some((v) => v.path)) ? describeError(save.error) : null);

  return (
    <Dialog
      open
      onClose={onClose}
      title={policy ? `Edit ${POLICY_TYPE_LABEL[policy.type].toLowerCase()}` : "Add a guardrail"}
      description={POLICY_TYPE_HINT[type]}
      className="max-w-xl"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={save.isPending}>
            {policy ? "Save changes" : "Add policy"}
          </Button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={submit} className="space-y-4" aria-label="Policy settings">
        {!policy ? (
          <Field label="Policy type">
            {(control) => (
              <Select
                {...control}
                value={type}
                onChange={(e) => {
                  setType(e.target.value as PolicyType);
                  setErrors({});
                  save.reset();
                }}
                options={POLICY_TYPES.map((t) => ({ value: t, label: POLICY_TYPE_LABEL[t] }))}
              />
            )}
          </Field>
        ) : null}
        <TypeFields type={type} form={form} errors={errors} set={set} />
        {generalError ? (
          <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
            {generalError}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
