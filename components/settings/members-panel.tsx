"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { ApiError, describeError } from "../api/errors";
import { useMembers } from "../api/hooks";
import { queryKeys } from "../api/query-keys";
import { ORGANIZATION_ROLES, type Invitation, type Member, type OrganizationRole } from "../api/types";
import { validateEmail } from "../forms/email";
import { formatDate } from "../format/dates";
import { UsersIcon } from "../icons";
import { canManageMembers, roleLabel } from "../shell/role-label";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { SkeletonBlock } from "../ui/skeleton";
import { TBody, Table, Td, Tr } from "../ui/table";
import { TableHeader } from "../ui/table-header";
import { useToast } from "../ui/toast";

const roleOptions = ORGANIZATION_ROLES.map((role) => ({ value: role, label: roleLabel(role) }));

function InviteForm({ organizationId }: { organizationId: string }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<OrganizationRole>("approver");
  const [emailError, setEmailError] = useState<string | null>(null);

  const invite = useMutation({
    mutationFn: () => api.post<{ member?: unknown; invitation?: unknown }>("/api/v1/members", { email: email.trim(), role }),
    onSuccess: async (result) => {
      const who = email.trim();
      const as = roleLabel(role).toLowerCase();
      // Existing users join at once; unknown addresses get an invitation e-mail instead.
      toast(
        result?.member
          ? { title: "Member added", description: `${who} joined as ${as}.`, tone: "success" }
          : { title: "Invitation sent", description: `${who} will join as ${as} on signing up with that address.`, tone: "success" },
      );
      setEmail("");
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(organizationId) });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const error = validateEmail(email);
    setEmailError(error);
    if (!error) invite.mutate();
  }

  return (
    <form noValidate onSubmit={submit} className="grid gap-3 border-b border-border px-5 py-4 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
      <Field label="Email" error={emailError}>
        {(control) => (
          <Input {...control} type="email" autoComplete="off" placeholder="teammate@company.com" value={email} onChange={(event) => setEmail(event.target.value)} />
        )}
      </Field>
      <Field label="Role">
        {(control) => <Select {...control} options={roleOptions} value={role} onChange={(event) => setRole(event.target.value as OrganizationRole)} />}
      </Field>
      <Button type="submit" loading={invite.isPending}>
        Add member
      </Button>
      {invite.isError ? (
        <p role="alert" className="text-sm text-danger-soft-fg sm:col-span-3">
          {describeError(invite.error)}
        </p>
      ) : null}
    </form>
  );
}

function RoleSelect({ member, organizationId, disabled }: { member: Member; organizationId: string; disabled: boolean }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const change = useMutation({
    mutationFn: (role: OrganizationRole) => api.patch(`/api/v1/members/${encodeURIComponent(member.userId)}`, { role }),
    onSuccess: async (_data, role) => {
      toast({ title: "Role updated", description: `${member.name ?? member.email ?? "Member"} is now ${roleLabel(role).toLowerCase()}.`, tone: "success" });
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(organizationId) });
    },
    onError: (error) => toast({ title: "Could not change role", description: describeError(error), tone: "error" }),
  });
  if (disabled) return <Badge tone={member.role === "owner" ? "accent" : "neutral"}>{roleLabel(member.role)}</Badge>;
  return (
    <Select
      aria-label={`Role of ${member.name ?? member.email ?? "member"}`}
      options={roleOptions}
      value={member.role}
      disabled={change.isPending}
      onChange={(event) => change.mutate(event.target.value as OrganizationRole)}
      className="h-8 w-36"
    />
  );
}

export function MembersPanel({
  organizationId,
  currentUserId,
  currentRole,
}: {
  organizationId: string;
  currentUserId: string;
  currentRole: OrganizationRole;
}) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const members = useMembers(organizationId);
  const manage = canManageMembers(currentRole);
  const [removing, setRemoving] = useState<Member | null>(null);

  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/api/v1/members/${encodeURIComponent(userId)}`),
    onSuccess: async (_data, userId) => {
      if (userId === currentUserId) {
        // Left the organization: the session now points elsewhere, so reload from the top.
        window.location.assign("/");
        return;
      }
      setRemoving(null);
      toast({ title: "Member removed", tone: "success" });
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(organizationId) });
    },
  });

  const withdraw = useMutation({
    mutationFn: (invitation: Invitation) => api.delete(`/api/v1/invitations/${encodeURIComponent(invitation.id)}`),
    onSuccess: async (_data, invitation) => {
      toast({ title: "Invitation withdrawn", description: invitation.email, tone: "success" });
      await queryClient.invalidateQueries({ queryKey: queryKeys.members(organizationId) });
    },
    onError: (error) => toast({ title: "Could not withdraw the invitation", description: describeError(error), tone: "error" }),
  });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Members</CardTitle>
          <CardDescription>
            Owners and admins manage the organization; approvers decide on agent requests; viewers can only look.
          </CardDescription>
        </div>
      </CardHeader>
      {manage ? <InviteForm organizationId={organizationId} /> : null}
      <div className="p-4 sm:p-5">
        {members.isPending ? <SkeletonBlock lines={3} label="Loading members" /> : null}
        {members.isError ? <ErrorState message={describeError(members.error)} onRetry={() => members.refetch()} /> : null}
        {members.isSuccess ? (
          <div className="space-y-6">
            {members.data.members.length === 0 ? (
              <EmptyState icon={<UsersIcon className="size-5" />} title="No members" description="Add teammates above." />
            ) : (
              <Table aria-label="Members">
                <TableHeader columns={["Member", "Role", "Joined"]} />
                <TBody>
                  {members.data.members.map((member) => (
                    <Tr key={member.userId}>
                      <Td label="Member">
                        <span className="min-w-0 text-right sm:text-left">
                          <span className="block font-medium text-fg">
                            {member.name ?? member.email ?? "Unnamed member"}
                            {member.userId === currentUserId ? <span className="ml-1 text-fg-muted">(you)</span> : null}
                          </span>
                          {member.name && member.email ? <span className="block text-xs break-all text-fg-muted">{member.email}</span> : null}
                        </span>
                      </Td>
                      <Td label="Role">
                        <RoleSelect member={member} organizationId={organizationId} disabled={!manage} />
                      </Td>
                      <Td label="Joined" className="text-fg-muted">
                        {formatDate(member.joinedAt)}
                      </Td>
                      <Td label="Actions" className="sm:text-right">
                        {manage ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            onClick={() => {
                              remove.reset();
                              setRemoving(member);
                            }}
                          >
                            {member.userId === currentUserId ? "Leave" : "Remove"}
                          </Button>
                        ) : (
                          <span className="text-fg-muted">—</span>
                        )}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            )}
            {members.data.invitations.length > 0 ? (
              <div>
                <h3 className="mb-3 text-sm font-semibold text-fg">Pending invitations</h3>
                <ul className="divide-y divide-border rounded-xl border border-border">
                  {members.data.invitations.map((invitation) => (
                    <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                      <span className="break-all text-fg">{invitation.email}</span>
                      <span className="flex items-center gap-3 text-fg-muted">
                        <Badge>{roleLabel(invitation.role)}</Badge>
                        Invited {formatDate(invitation.createdAt)}
                        {manage ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-label={`Withdraw invitation for ${invitation.email}`}
                            loading={withdraw.isPending && withdraw.variables?.id === invitation.id}
                            onClick={() => withdraw.mutate(invitation)}
                          >
                            Withdraw
                          </Button>
                        ) : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={removing?.userId === currentUserId ? "Leave organization?" : "Remove member?"}
        description={
          removing?.userId === currentUserId
            ? "You will lose access to this organization until someone adds you again."
            : `${removing?.name ?? removing?.email ?? "This member"} will lose access to this organization immediately.`
        }
        confirmLabel={removing?.userId === currentUserId ? "Leave" : "Remove member"}
        pending={remove.isPending}
        error={
          remove.isError
            ? remove.error instanceof ApiError && remove.error.statusCode === 409
              ? "An organization needs at least one owner. Make someone else an owner first."
              : describeError(remove.error)
            : null
        }
        onConfirm={() => removing && remove.mutate(removing.userId)}
        onClose={() => setRemoving(null)}
      />
    </Card>
  );
}
