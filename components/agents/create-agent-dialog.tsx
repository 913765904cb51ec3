"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCreateAgent } from "../api/agents";
import { describeError } from "../api/errors";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { useToast } from "../ui/toast";
import { validateAgentForm } from "./agent-format";

/** Registers an agent: a name, an optional description and the identifiers it already has elsewhere. */
export function CreateAgentDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const router = useRouter();
  const { toast } = useToast();
  const create = useCreateAgent();
  const [form, setForm] = useState({ name: "", description: "", signetSid: "", aegisAgentId: "" });
  const [submitted, setSubmitted] = useState(false);
  const errors = validateAgentForm(form);
  const show = (k: string) => (submitted ? (errors[k] ?? null) : null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = () => {
    setSubmitted(true);
    if (Object.keys(errors).length) return;
    const identifiers = { ...(form.signetSid ? { signetSid: form.signetSid } : {}), ...(form.aegisAgentId.trim() ? { aegisAgentId: form.aegisAgentId.trim() } : {}) };
    create.mutate(
      { name: form.name.trim(), ...(form.description.trim() ? { description: form.description.trim() } : {}), ...(Object.keys(identifiers).length ? { identifiers } : {}) },
      {
        onSuccess: (agent) => {
          toast({ title: "Agent created", description: agent.name, tone: "success" });
          onClose();
          router.push(`/agents/${agent.id}`);
        },
      },
    );
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New agent"
      description="One record for an agent across signers, approvals, the gateway, trust scores and identity."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          <Button onClick={submit} loading={create.isPending} data-testid="create-agent-submit">
            Create agent
          </Button>
        </>
      }
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="Name" error={show("name")}>
          {(p) => <Input {...p} value={form.name} onChange={set("name")} maxLength={100} autoComplete="off" data-testid="agent-name" />}
        </Field>
        <Field label="Description" hint="Optional: what the agent does.">
          {(p) => <Input {...p} value={form.description} onChange={set("description")} maxLength={500} />}
        </Field>
        <Field label="Signet SID" hint="Optional (seed 001), e.g. SID-0x0123456789abcdef." error={show("signetSid")}>
          {(p) => <Input {...p} value={form.signetSid} onChange={set("signetSid")} className="font-mono" spellCheck={false} />}
        </Field>
        <Field label="AEGIS agent_id" hint="Optional (seed 002), unique in your organization." error={show("aegisAgentId")}>
          {(p) => <Input {...p} value={form.aegisAgentId} onChange={set("aegisAgentId")} spellCheck={false} />}
        </Field>
        {create.isError ? (
          <p role="alert" className="text-sm font-medium text-danger-soft-fg">
            {describeError(create.error)}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
