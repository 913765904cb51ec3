"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import type { RulesDocument } from "@/lib/policy/rules-model";
import { ApiError, describeError } from "../api/errors";
import { useActiveDocument, useDraftDocument } from "../api/policies";
import { useSigner } from "../api/signers";
import type { OrganizationRole } from "../api/types";
import { ShieldIcon } from "../icons";
import { Badge } from "../ui/badge";
import { buttonClasses } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { isSignerId } from "../signers/signer-format";
import { BacktestCard } from "./backtest-panel";
import { BuiltinPoliciesCard } from "./builtin-policies-card";
import { DocumentHistoryCard } from "./document-history";
import { RulesDiffCard } from "./rules-diff";
import { RulesEditor } from "./rules-editor";
import { fromDocument, starterDocument, toDocument, validateDocument, type EditorDoc } from "./rules-editor-model";

/** Owners and admins hold `policies:manage`; everyone else reads. */
export function canManagePolicies(role: OrganizationRole): boolean {
  return role === "owner" || role === "admin";
}

function NotFound() {
  return (
    <EmptyState
      icon={<ShieldIcon className="size-5" />}
      title="Signer not found"
      description="It may have been deleted, or it belongs to another organization."
      action={
        <Link href="/policies" className={buttonClasses("primary")}>
          All policies
        </Link>
      }
    />
  );
}

function RulesSection({ organizationId, signerId, canManage }: { organizationId: string; signerId: string; canManage: boolean }) {
  const active = useActiveDocument(organizationId, signerId);
  const draft = useDraftDocument(organizationId, signerId);
  const [state, setState] = useState<{ current: RulesDocument | null; dirty: boolean } | null>(null);

  const initial: EditorDoc | null = useMemo(() => {
    if (active.isPending || draft.isPending || active.isError || draft.isError) return null;
    if (draft.data) return fromDocument(draft.data.rules);
    if (active.data) return fromDocument(active.data.rules);
    return starterDocument();
    // Only the first load seeds the editor; later refetches must not overwrite what is being typed.
  }, [active.isPending, draft.isPending, active.isError, draft.isError]);

  const initialState = useMemo(() => {
    if (!initial) return null;
    const v = validateDocument(toDocument(initial));
    // Only the starter document (nothing saved yet) counts as unsaved.
    return { current: v.ok ? v.document : null, dirty: !draft.data && !active.data };
  }, [initial, draft.data, active.data]);

  if (active.isError || draft.isError) {
    return (
      <ErrorState
        title="Rules unavailable"
        message={describeError(active.error ?? draft.error)}
        onRetry={() => {
          void active.refetch();
          void draft.refetch();
        }}
      />
    );
  }
  if (!initial || !initialState) return <SkeletonBlock lines={8} label="Loading rules" />;
  const view = state ?? initialState;

  return (
    <div className="space-y-4">
      <RulesEditor
        organizationId={organizationId}
        signerId={signerId}
        canManage={canManage}
        initial={initial}
        draft={draft.data ?? null}
        active={active.data ?? null}
        onDocumentChange={(_source, validation, dirty) => setState({ current: validation.ok ? validation.document : null, dirty })}
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <RulesDiffCard
          organizationId={organizationId}
          signerId={signerId}
          canManage={canManage}
          active={active.data ?? null}
          draft={draft.data ?? null}
          current={view.current}
          dirty={view.dirty}
        />
        <DocumentHistoryCard organizationId={organizationId} signerId={signerId} />
      </div>
      <BacktestCard signerId={signerId} document={view.current} />
    </div>
  );
}

export function SignerPolicies({ organizationId, signerId, role }: { organizationId: string; signerId: string; role: OrganizationRole }) {
  const validId = isSignerId(signerId);
  const signer = useSigner(organizationId, signerId, validId);
  const active = useActiveDocument(organizationId, signerId);
  const canManage = canManagePolicies(role);

  if (!validId) return <NotFound />;
  if (signer.isPending) return <SkeletonBlock lines={6} label="Loading guardrails" />;
  if (signer.isError) {
    if (signer.error instanceof ApiError && signer.error.statusCode === 404) return <NotFound />;
    return <ErrorState message={describeError(signer.error)} onRetry={() => signer.refetch()} />;
  }

  return (
    <>
      <div className="mb-6 space-y-3">
        <Link href={`/signers/${encodeURIComponent(signerId)}`} className="rounded-sm text-sm text-fg-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring">
          ← {signer.data.name}
        </Link>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-fg">Guardrails</h1>
          {active.data ? <Badge tone="success">Rules v{active.data.version} active</Badge> : active.isSuccess ? <Badge tone="neutral">No rules active</Badge> : null}
        </div>
        <p className="max-w-2xl text-sm text-fg-muted">
          What {signer.data.name} may sign. Built-in policies and the rules are checked together before Countersign adds its share; a denied request is never signed and
          “require approval” sends it to a human.
        </p>
      </div>
      {!canManage ? (
        <p className="mb-4 rounded-lg bg-surface-muted px-3 py-2 text-sm text-fg-muted">You have read-only access. Owners and admins can change guardrails.</p>
      ) : null}
      <div className="space-y-4">
        <BuiltinPoliciesCard organizationId={organizationId} signerId={signerId} canManage={canManage} />
        <RulesSection organizationId={organizationId} signerId={signerId} canManage={canManage} />
      </div>
    </>
  );
}
