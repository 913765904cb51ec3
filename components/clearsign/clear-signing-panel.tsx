"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent } from "react";
import { api } from "../api/client";
import { ApiError, describeError, type ApiViolation } from "../api/errors";
import type { OrganizationRole } from "../api/types";
import { formatRelative } from "../format/dates";
import { ListIcon, PlusIcon, TrashIcon } from "../icons";
import { canManageMembers } from "../shell/role-label";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { controlClasses } from "../ui/input";
import { TBody, THead, Table, Td, Th, Tr } from "../ui/table";
import { useToast } from "../ui/toast";
import { parseDescriptorText, shortAddress, violationPath } from "./descriptor-text";
import { QueryView } from "../ui/query-view";

export type OverlayDescriptor = {
  id: string;
  source: "overlay";
  owner: string | null;
  contractName: string | null;
  deployments: { chainId: number; address: string }[];
  functions: { signature: string; selector: string; key: string; intent: string | null }[];
  createdAt: string;
  updatedAt: string;
};

const KEY = ["clearsign", "descriptors"] as const;
const PATH = "/api/v1/clearsign/descriptors";

function AddDescriptorForm({ onAdded }: { onAdded: (d: OverlayDescriptor) => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [violations, setViolations] = useState<readonly ApiViolation[]>([]);
  const add = useMutation({
    mutationFn: (descriptor: unknown) => api.post<{ descriptor: OverlayDescriptor }>(PATH, { descriptor }),
    onSuccess: (res) => {
      setText("");
      setError(null);
      setViolations([]);
      onAdded(res.descriptor);
    },
    onError: (err) => {
      setError(describeError(err));
      setViolations(err instanceof ApiError ? err.violations : []);
    },
  });

  function submit() {
    const parsed = parseDescriptorText(text);
    setViolations([]);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    add.mutate(parsed.value);
  }

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    setText(await file.text());
    setError(null);
    setViolations([]);
    e.target.value = "";
  }

  return (
    <div className="space-y-3 border-t border-border p-4 sm:p-5">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label htmlFor="clearsign-descriptor" className="block text-sm font-medium text-fg">
          Add a descriptor (ERC-7730 JSON)
        </label>
        <label className="cursor-pointer text-sm font-medium text-accent-soft-fg hover:underline">
          Choose file…
          <input type="file" accept=".json,application/json" className="sr-only" onChange={onFile} data-testid="clearsign-file" />
        </label>
      </div>
      <textarea
        id="clearsign-descriptor"
        data-testid="clearsign-json"
        className={`${controlClasses} min-h-48 py-2 font-mono text-xs`}
        spellCheck={false}
        placeholder='{ "context": { "contract": { "deployments": [{ "chainId": 1, "address": "0x…" }] } }, "metadata": { "owner": "…" }, "display": { "formats": { "transfer(address to, uint256 amount)": { … } } } }'
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "clearsign-errors" : "clearsign-hint"}
      />
      {error ? (
        <div id="clearsign-errors" role="alert" className="space-y-1 text-xs text-danger-soft-fg" data-testid="clearsign-errors">
          <p className="font-medium">{error}</p>
          {violations.length > 0 ? (
            <ul className="list-disc space-y-0.5 pl-5">
              {violations.map((v, i) => (
                <li key={i}>
                  <code className="font-mono">{violationPath(v.path)}</code>: {v.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <p id="clearsign-hint" className="text-xs text-fg-muted">
          Calldata descriptors only, bound to their contract with context.contract.deployments; includes are not allowed. A descriptor for the same chain, address and function
          replaces Countersign&apos;s own.
        </p>
      )}
      <div className="flex justify-end">
        <Button icon={<PlusIcon />} onClick={submit} loading={add.isPending} data-testid="clearsign-add">
          Add descriptor
        </Button>
      </div>
    </div>
  );
}

export function ClearSigningPanel({ role }: { role: OrganizationRole }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const canManage = canManageMembers(role);
  const list = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<{ descriptors: OverlayDescriptor[] }>(PATH, signal).then((b) => b.descriptors) });
  const [removing, setRemoving] = useState<OverlayDescriptor | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`${PATH}/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      setRemoving(null);
      await queryClient.invalidateQueries({ queryKey: KEY });
      toast({ title: "Descriptor removed", tone: "success" });
    },
  });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Clear-signing descriptors</CardTitle>
          <CardDescription>
            Your organization&apos;s own ERC-7730 descriptors. Approvals show their labels for calls to these contracts, in addition to (and ahead of) Countersign&apos;s built-in ones.
          </CardDescription>
        </div>
      </CardHeader>
      <div className="p-4 sm:p-5">
        <QueryView
          query={list}
          loading="Loading descriptors"
          empty={
            <EmptyState
              icon={<ListIcon className="size-5" />}
              title="No descriptors yet"
              description={canManage ? "Paste or upload a descriptor below." : "Owners and admins can add descriptors."}
            />
          }
        >
          {(data) => (
            <Table aria-label="Clear-signing descriptors">
              <THead>
                <tr>
                  <Th>Contract</Th>
                  <Th>Deployments</Th>
                  <Th>Functions</Th>
                  <Th>Added</Th>
                  <Th className="text-right">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {data.map((d) => (
                  <Tr key={d.id} data-testid="clearsign-row">
                    <Td label="Contract">
                      <div className="font-medium text-fg">{d.contractName ?? d.owner ?? "Unnamed"}</div>
                      {d.owner && d.contractName ? <div className="text-xs text-fg-muted">{d.owner}</div> : null}
                    </Td>
                    <Td label="Deployments">
                      <ul className="space-y-0.5 font-mono text-xs">
                        {d.deployments.map((dep) => (
                          <li key={`${dep.chainId}:${dep.address}`} title={dep.address}>
                            {dep.chainId}: {shortAddress(dep.address)}
                          </li>
                        ))}
                      </ul>
                    </Td>
                    <Td label="Functions">
                      <div className="flex flex-wrap gap-1">
                        {d.functions.map((f) => (
                          <Badge key={f.selector} tone="neutral">
                            <span title={f.selector}>{f.signature}</span>
                          </Badge>
                        ))}
                      </div>
                    </Td>
                    <Td label="Added">{formatRelative(d.createdAt)}</Td>
                    <Td label="Actions" className="text-right">
                      {canManage ? (
                        <Button size="sm" variant="ghost" icon={<TrashIcon />} onClick={() => setRemoving(d)} aria-label={`Remove ${d.contractName ?? d.owner ?? d.id}`}>
                          Remove
                        </Button>
                      ) : null}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </div>
      {canManage ? (
        <AddDescriptorForm
          onAdded={async (d) => {
            await queryClient.invalidateQueries({ queryKey: KEY });
            toast({ title: "Descriptor added", description: `${d.contractName ?? d.owner ?? "It"} is now used for clear signing.`, tone: "success" });
          }}
        />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        title="Remove descriptor?"
        description={`New approvals for ${removing?.contractName ?? removing?.owner ?? "this contract"} will fall back to Countersign's built-in descriptors or show the raw call.`}
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : null}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
      />
    </Card>
  );
}
