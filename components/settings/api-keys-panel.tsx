"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { useApiKeys } from "../api/hooks";
import { queryKeys } from "../api/query-keys";
import type { ApiKey, CreatedApiKey, OrganizationRole } from "../api/types";
import { formatDate, formatRelative } from "../format/dates";
import { KeyIcon, PlusIcon } from "../icons";
import { canManageMembers } from "../shell/role-label";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { TBody, Table, Td, Tr } from "../ui/table";
import { TableHeader } from "../ui/table-header";
import { useToast } from "../ui/toast";
import { ApiKeySecretDialog } from "./api-key-secret-dialog";
import { apiKeyStatus, maskedKey, type ApiKeyStatus } from "./api-key-status";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { QueryView } from "../ui/query-view";

const statusTone: Record<ApiKeyStatus, BadgeTone> = { active: "success", revoked: "danger", expired: "warning" };
const statusLabel: Record<ApiKeyStatus, string> = { active: "Active", revoked: "Revoked", expired: "Expired" };

function ApiKeyRow({ apiKey, canManage, onRevoke }: { apiKey: ApiKey; canManage: boolean; onRevoke: (key: ApiKey) => void }) {
  const status = apiKeyStatus(apiKey);
  return (
    <Tr data-testid={`api-key-row-${apiKey.id}`}>
      <Td label="Name" className="font-medium text-fg">
        {apiKey.name}
      </Td>
      <Td label="Key">
        <code className="font-mono text-xs text-fg">{maskedKey(apiKey.prefix)}</code>
      </Td>
      <Td label="Scopes">
        <span className="flex flex-wrap justify-end gap-1 sm:justify-start">
          {apiKey.scopes.map((scope) => (
            <Badge key={scope}>{scope}</Badge>
          ))}
        </span>
      </Td>
      <Td label="Created" className="text-fg-muted">
        {formatDate(apiKey.createdAt)}
      </Td>
      <Td label="Last used" className="text-fg-muted">
        {apiKey.lastUsedAt ? formatRelative(apiKey.lastUsedAt) : "Never"}
      </Td>
      <Td label="Status">
        <Badge tone={statusTone[status]}>{statusLabel[status]}</Badge>
      </Td>
      <Td label="Actions" className="sm:text-right">
        {canManage && status === "active" ? (
          <Button variant="ghost" size="sm" onClick={() => onRevoke(apiKey)} aria-label={`Revoke ${apiKey.name}`}>
            Revoke
          </Button>
        ) : (
          <span className="text-fg-muted">—</span>
        )}
      </Td>
    </Tr>
  );
}

export function ApiKeysPanel({ organizationId, role }: { organizationId: string; role: OrganizationRole }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const keys = useApiKeys(organizationId);
  const canManage = canManageMembers(role);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys(organizationId) });

  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/api-keys/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      const name = revoking?.name;
      setRevoking(null);
      await refresh();
      toast({ title: "API key revoked", description: name ? `${name} can no longer be used.` : undefined, tone: "success" });
    },
  });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>API keys</CardTitle>
          <CardDescription>Keys authenticate your services with the x-api-key header. Revoked keys stop working immediately.</CardDescription>
        </div>
        {canManage ? (
          <Button size="sm" icon={<PlusIcon />} onClick={() => setCreating(true)}>
            Create API key
          </Button>
        ) : null}
      </CardHeader>
      <div className="p-4 sm:p-5">
        <QueryView
          query={keys}
          loading="Loading API keys"
          empty={
            <EmptyState
              icon={<KeyIcon className="size-5" />}
              title="No API keys yet"
              description={canManage ? "Create a key for each service that talks to Countersign." : "Owners and admins can create keys."}
              action={
                canManage ? (
                  <Button icon={<PlusIcon />} onClick={() => setCreating(true)}>
                    Create API key
                  </Button>
                ) : undefined
              }
            />
          }
        >
          {(data) => (
            <Table aria-label="API keys">
              <TableHeader columns={["Name", "Key", "Scopes", "Created", "Last used", "Status"]} />
              <TBody>
                {data.map((apiKey) => (
                  <ApiKeyRow
                    key={apiKey.id}
                    apiKey={apiKey}
                    canManage={canManage}
                    onRevoke={(key) => {
                      revoke.reset();
                      setRevoking(key);
                    }}
                  />
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </div>

      {creating ? (
        <CreateApiKeyDialog
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
            void refresh();
          }}
        />
      ) : null}
      {created ? <ApiKeySecretDialog name={created.apiKey.name} secret={created.secret} onClose={() => setCreated(null)} /> : null}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke API key?"
        description={
          <>
            Requests using <span className="font-medium text-fg">{revoking?.name}</span> (
            <code className="font-mono text-xs">{revoking ? maskedKey(revoking.prefix) : ""}</code>) will be rejected from now on. This
            cannot be undone.
          </>
        }
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.isError ? describeError(revoke.error) : null}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}
