"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { formatDate, formatRelative } from "../format/dates";
import { PlusIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorState } from "../ui/error-state";
import { Input } from "../ui/input";
import { SecretOnceDialog } from "../ui/secret-once-dialog";
import { Select } from "../ui/select";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, Table, Td, Tr } from "../ui/table";
import { TableHeader } from "../ui/table-header";

type Token = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
type GroupMapping = { id: string; displayName: string; role: string | null; byName: boolean; members: number };
const ROLE_OPTIONS = [{ value: "", label: "No role" }, ...["owner", "admin", "approver", "viewer"].map((r) => ({ value: r, label: r }))];

/** Settings → Provisioning (owners): SCIM tokens for the identity provider, and which role each custom group grants. */
export function ProvisioningPanel() {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: ["scim-tokens"], queryFn: ({ signal }) => api.get<{ tokens: Token[]; baseUrl: string }>("/api/v1/scim/tokens", signal) });
  const groups = useQuery({ queryKey: ["scim-groups"], queryFn: ({ signal }) => api.get<{ groups: GroupMapping[]; users: { total: number; active: number } }>("/api/v1/scim/groups", signal) });
  const [name, setName] = useState("Identity provider");
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api.post<{ secret: string }>("/api/v1/scim/tokens", { name }),
    onSuccess: async (r) => {
      setSecret(r.secret);
      await qc.invalidateQueries({ queryKey: ["scim-tokens"] });
    },
  });
  const revoke = useMutation({ mutationFn: (id: string) => api.delete(`/api/v1/scim/tokens/${encodeURIComponent(id)}`), onSuccess: () => qc.invalidateQueries({ queryKey: ["scim-tokens"] }) });
  const map = useMutation({
    mutationFn: (v: { id: string; role: string | null }) => api.put(`/api/v1/scim/groups/${encodeURIComponent(v.id)}/role`, { role: v.role }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["scim-groups"] }),
  });

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <div>
            <CardTitle>SCIM provisioning</CardTitle>
            <CardDescription>
              Your identity provider creates, updates and removes members over SCIM 2.0 at{" "}
              <code className="font-mono text-xs" data-testid="scim-base-url">{tokens.data?.baseUrl ?? "…/scim/v2"}</code> with a bearer token from here.
            </CardDescription>
          </div>
        </CardHeader>
        <div className="space-y-4 p-4 sm:p-5">
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <label className="text-sm">
              <span className="mb-1 block text-fg-muted">Token name</span>
              <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
            </label>
            <Button type="submit" size="sm" icon={<PlusIcon />} disabled={create.isPending}>
              Create SCIM token
            </Button>
          </form>
          {create.isError ? <ErrorState message={describeError(create.error)} /> : null}
          {tokens.isPending ? <SkeletonBlock lines={2} label="Loading SCIM tokens" /> : null}
          {tokens.isError ? <ErrorState message={describeError(tokens.error)} onRetry={() => tokens.refetch()} /> : null}
          {tokens.isSuccess && tokens.data.tokens.length > 0 ? (
            <Table aria-label="SCIM tokens">
              <TableHeader columns={["Name", "Token", "Created", "Last used", "Status"]} />
              <TBody>
                {tokens.data.tokens.map((t) => (
                  <Tr key={t.id}>
                    <Td label="Name" className="font-medium text-fg">{t.name}</Td>
                    <Td label="Token"><code className="font-mono text-xs">{t.prefix}_…</code></Td>
                    <Td label="Created" className="text-fg-muted">{formatDate(t.createdAt)}</Td>
                    <Td label="Last used" className="text-fg-muted">{t.lastUsedAt ? formatRelative(t.lastUsedAt) : "Never"}</Td>
                    <Td label="Status"><Badge tone={t.revokedAt ? "danger" : "success"}>{t.revokedAt ? "Revoked" : "Active"}</Badge></Td>
                    <Td label="Actions" className="sm:text-right">
                      {t.revokedAt ? <span className="text-fg-muted">—</span> : (
                        <Button variant="ghost" size="sm" onClick={() => revoke.mutate(t.id)} aria-label={`Revoke ${t.name}`}>Revoke</Button>
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : null}
        </div>
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Groups and roles</CardTitle>
            <CardDescription>
              Groups named owner, admin, approver or viewer grant that role. Choose the role any other group grants; a member gets the highest of their groups.
              {groups.data ? ` ${groups.data.users.active} of ${groups.data.users.total} provisioned users are active.` : null}
            </CardDescription>
          </div>
        </CardHeader>
        <div className="p-4 sm:p-5">
          {groups.isPending ? <SkeletonBlock lines={2} label="Loading groups" /> : null}
          {groups.isError ? <ErrorState message={describeError(groups.error)} onRetry={() => groups.refetch()} /> : null}
          {map.isError ? <ErrorState message={describeError(map.error)} /> : null}
          {groups.isSuccess && groups.data.groups.length === 0 ? <p className="text-sm text-fg-muted">No groups pushed yet.</p> : null}
          {groups.isSuccess && groups.data.groups.length > 0 ? (
            <Table aria-label="Provisioned groups">
              <TableHeader columns={["Group", "Members", "Role"]} actions={false} />
              <TBody>
                {groups.data.groups.map((g) => (
                  <Tr key={g.id}>
                    <Td label="Group" className="font-medium text-fg">{g.displayName}</Td>
                    <Td label="Members">{g.members}</Td>
                    <Td label="Role">
                      {g.byName ? (
                        <Badge>{g.role}</Badge>
                      ) : (
                        <Select aria-label={`Role for ${g.displayName}`} options={ROLE_OPTIONS} value={g.role ?? ""} onChange={(e) => map.mutate({ id: g.id, role: e.target.value || null })} />
                      )}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          ) : null}
        </div>
      </Card>
      {secret ? (
        <SecretOnceDialog
          title="Copy your SCIM token"
          description={<>Paste it into your identity provider as the bearer token, with the base URL above.</>}
          warning={<><span className="font-semibold">This is the only time the token is shown.</span> If you lose it, revoke it and create another.</>}
          secret={secret}
          testId="scim-token-secret"
          onClose={() => setSecret(null)}
        />
      ) : null}
    </div>
  );
}
