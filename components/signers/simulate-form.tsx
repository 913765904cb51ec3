"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { signerPath, type SimulationRequest, type SimulationResult } from "../api/signers";
import { AlertIcon, CheckCircleIcon } from "../icons";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { formatGas, validateSimulation, type SimulationForm, type SimulationFormErrors } from "./signer-format";

function SimulationOutcome({ result }: { result: SimulationResult }) {
  if (result.success) {
    return (
      <div role="status" className="flex items-start gap-3 rounded-lg bg-success-soft px-3 py-3 text-sm text-success-soft-fg">
        <CheckCircleIcon className="mt-0.5 size-5 shrink-0" />
        <div className="min-w-0">
          <p className="font-semibold">Simulation succeeded</p>
          {result.gasEstimate ? <p>Gas estimate: {formatGas(result.gasEstimate)}</p> : null}
          {result.returnData && result.returnData !== "0x" ? (
            <p className="font-mono text-xs break-all">Returned {result.returnData}</p>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <div role="alert" className="flex items-start gap-3 rounded-lg bg-danger-soft px-3 py-3 text-sm text-danger-soft-fg">
      <AlertIcon className="mt-0.5 size-5 shrink-0" />
      <div className="min-w-0">
        <p className="font-semibold">The transaction would revert</p>
        <p className="break-words">{result.revertReason ?? "No revert reason was returned."}</p>
      </div>
    </div>
  );
}

export function SimulateForm({ signerId, symbol, disabled }: { signerId: string; symbol: string; disabled: boolean }) {
  const [form, setForm] = useState<SimulationForm>({ to: "", value: "", data: "" });
  const [errors, setErrors] = useState<SimulationFormErrors>({});
  const simulate = useMutation({
    mutationFn: (request: SimulationRequest) => api.post<SimulationResult>(signerPath(signerId, "/simulate"), request),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = validateSimulation(form);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    simulate.mutate(checked.request);
  }

  const update = (key: keyof SimulationForm) => (value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Simulate</CardTitle>
          <CardDescription>Dry-run a transaction from this signer against the network: nothing is signed or sent.</CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="space-y-3" noValidate aria-label="Simulate a transaction">
          <Field label="To" error={errors.to ?? null}>
            {(control) => (
              <Input {...control} value={form.to} onChange={(e) => update("to")(e.target.value)} placeholder="0x…" autoComplete="off" spellCheck={false} className="font-mono" />
            )}
          </Field>
          <Field label={`Value (${symbol})`} error={errors.value ?? null}>
            {(control) => <Input {...control} value={form.value} onChange={(e) => update("value")(e.target.value)} placeholder="0.0" inputMode="decimal" autoComplete="off" />}
          </Field>
          <Field label="Data (optional)" hint="Calldata as 0x-prefixed hex" error={errors.data ?? null}>
            {(control) => (
              <Input {...control} value={form.data} onChange={(e) => update("data")(e.target.value)} placeholder="0x" autoComplete="off" spellCheck={false} className="font-mono" />
            )}
          </Field>
          <Button type="submit" loading={simulate.isPending} disabled={disabled}>
            Simulate
          </Button>
          {disabled ? <p className="text-sm text-fg-muted">Simulation needs the signer&apos;s address, available after key generation.</p> : null}
        </form>
        <div className="mt-4" aria-live="polite">
          {simulate.isSuccess ? <SimulationOutcome result={simulate.data} /> : null}
          {simulate.isError ? (
            <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
              {describeError(simulate.error)}
            </p>
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}
