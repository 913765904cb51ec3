"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { describeError } from "../api/errors";
import { deleteBuiltinPolicy, updateBuiltinPolicy, useBuiltinPolicies, type BuiltinPolicy } from "../api/policies";
import { queryKeys } from "../api/query-keys";
import { auditLogPrefix } from "../api/signers";
import { PencilIcon, PlusIcon, ShieldIcon, TrashIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { useToast } from "../ui/toast";
import { POLICY_TYPE_LABEL, summarisePolicy } from "./policy-format";
import { PolicyFormDialog } from "./policy-form-dialog";

function EnabledSwitch({ policy, disabled, onToggle, pending }: { policy: BuiltinPolicy; disabled: boolean; onToggle: (enabled: boolean) => void; pending: boolean }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={policy.enabled}
      aria-label={`${POLICY_TYPE_LABEL[policy.type]} enabled`}
      disabled={disabled || pending}
      onClick={() => onToggle(!policy.enabled)}
      className={
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full border transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-60 " +
        (policy.enabled ? "border-transparent bg-accent" : "border-border-strong bg-surface-muted")
      }
    >
      <span
        aria-hidden="true"
        className={"inline-block size-4 rounded-full bg-white shadow transition-transform " + (policy.enabled ? "translate-x-6" : "translate-x-1")}
      />
    </button>
  );
}

function PolicyRow({ policy, canManage, onEdit, onDelete }: { policy: BuiltinPolicy; canManage: boolean; onEdit: () => void; onDelete: () => void }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => updateBuiltinPolicy(policy.id, { enabled }),
    onSuccess: async (updated) => {
      toast({ title: updated.enabled ? "Policy enabled" : "Policy disabled", tone: "success" });
      await Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.policies.all }), queryClient.invalidateQueries({ queryKey: auditLogPrefix })]);
    },
  });
  return (
    <li data-testid={`policy-${policy.type}`} className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-fg">{POLICY_TYPE_LABEL[policy.type]}</span>
          <Badge tone="neutral">v{policy.version}</Badge>
          {!policy.enabled ? <Badge tone="warning">Off</Badge> : null}
        </div>
        <p className="mt-0.5 text-sm break-words text-fg-muted" data-testid="policy-summary">
          {summarisePolicy(policy.type, policy.config)}
        </p>
        {toggle.isError ? (
          <p role="alert" className="mt-1 text-xs text-danger-soft-fg">
            {describeError(toggle.error)}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        <EnabledSwitch policy={policy} disabled={!canManage} pending={toggle.isPending} onToggle={(enabled) => toggle.mutate(enabled)} />
        {canManage ? (
          <>
            <Button variant="ghost" size="sm" icon={<PencilIcon className="size-4" />} onClick={onEdit} aria-label={`Edit ${POLICY_TYPE_LABEL[policy.type]}`}>
              <span className="sm:sr-only">Edit</span>
            </Button>
            <Button variant="ghost" size="sm" icon={<TrashIcon className="size-4" />} onClick={onDelete} aria-label={`Delete ${POLICY_TYPE_LABEL[policy.type]}`}>
              <span className="sm:sr-only">Delete</span>
            </Button>
          </>
        ) : null}
      </div>
    </li>
  );
}

export function BuiltinPoliciesCard({ organizationId, signerId, canManage }: { organizationId: string; signerId: string; canManage: boolean }) {
  const policies = useBuiltinPolicies(organizationId, signerId);
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [editing, setEditing] = useState<BuiltinPolicy | "new" | null>(null);
  const [deleting, setDeleting] = useState<BuiltinPolicy | null>(null);

  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.policies.all }), queryClient.invalidateQueries({ queryKey: auditLogPrefix })]);

  const remove = useMutation({
    mutationFn: (policy: BuiltinPolicy) => deleteBuiltinPolicy(policy.id),
    onSuccess: async () => {
      setDeleting(null);
      toast({ title: "Policy deleted", tone: "success" });
      await refresh();
    },
  });

  const addButton = canManage ? (
    <Button size="sm" icon={<PlusIcon className="size-4" />} onClick={() => setEditing("new")}>
      Add policy
    </Button>
  ) : null;

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Built-in policies</CardTitle>
          <CardDescription>Every enabled policy must pass before Countersign adds its share of a signature.</CardDescription>
        </div>
        {policies.data && policies.data.length > 0 ? addButton : null}
      </CardHeader>
      <CardBody>
        {policies.isPending ? <SkeletonBlock lines={4} label="Loading policies" /> : null}
        {policies.isError ? <ErrorState message={describeError(policies.error)} onRetry={() => policies.refetch()} /> : null}
        {policies.data && policies.data.length === 0 ? (
          <EmptyState
            icon={<ShieldIcon className="size-5" />}
            title="No built-in policies"
            description="Add spending limits, allow-lists, rate limits or signing hours. They stack: all of them must pass."
            action={addButton}
          />
        ) : null}
        {policies.data && policies.data.length > 0 ? (
          <ul aria-label="Built-in policies" className="divide-y divide-border">
            {policies.data.map((policy) => (
              <PolicyRow
                key={policy.id}
                policy={policy}
                canManage={canManage}
                onEdit={() => setEditing(policy)}
                onDelete={() => {
                  remove.reset();
                  setDeleting(policy);
                }}
              />
            ))}
          </ul>
        ) : null}
      </CardBody>
      {editing ? (
        <PolicyFormDialog
          signerId={signerId}
          policy={editing === "new" ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={async (saved, created) => {
            setEditing(null);
            toast({ title: created ? "Policy added" : "Policy saved", description: summarisePolicy(saved.type, saved.config), tone: "success" });
            await refresh();
          }}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this policy?"
        description={deleting ? `${POLICY_TYPE_LABEL[deleting.type]}: ${summarisePolicy(deleting.type, deleting.config)}. Requests will no longer be checked against it.` : ""}
        confirmLabel="Delete policy"
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Card>
  );
}
