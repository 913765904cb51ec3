"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { formatDateTime } from "../format/dates";
import { InboxIcon } from "../icons";
import { Badge, type BadgeTone } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog } from "../ui/dialog";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { TBody, Table, Td, Tr } from "../ui/table";
import { TableHeader } from "../ui/table-header";
import { useToast } from "../ui/toast";
import { QueryView } from "../ui/query-view";

type Status = "pending" | "approved" | "rejected";
type Application = {
  id: string;
  name: string;
  email: string;
  company: string | null;
  reason: string | null;
  status: Status;
  createdAt: string;
  decidedAt: string | null;
  rejectionReason: string | null;
  organizationId: string | null;
};

const STATUS_TONE: Record<Status, BadgeTone> = { pending: "warning", approved: "success", rejected: "danger" };
const FILTERS = [
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "rejected", label: "Rejected" },
  { value: "", label: "All" },
];
const key = (status: string) => ["admin", "applications", status] as const;

/** Seed 001 operator applications (POST /apply), for the instance administrators to decide on. */
export function ApplicationsPanel() {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [status, setStatus] = useState("pending");
  const [approving, setApproving] = useState<Application | null>(null);
  const [rejecting, setRejecting] = useState<Application | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  const applications = useQuery({
    queryKey: key(status),
    queryFn: ({ signal }) => api.get<{ items: Application[] }>(`/api/v1/admin/applications${status ? `?status=${status}` : ""}`, signal).then((b) => b.items),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["admin", "applications"] });

  const approve = useMutation({
    mutationFn: (a: Application) => api.post<{ organization: { name: string }; owner: "member" | "invited" }>(`/api/v1/admin/applications/${encodeURIComponent(a.id)}/approve`, {}),
    onSuccess: async (result, a) => {
      setApproving(null);
      toast({
        title: "Application approved",
        description: `${result.organization.name} was created; ${a.email} ${result.owner === "member" ? "owns it now" : "was invited as its owner"} and received the first API key by mail.`,
        tone: "success",
      });
      await refresh();
    },
  });

  const reject = useMutation({
    mutationFn: (input: { a: Application; reason: string }) => api.post(`/api/v1/admin/applications/${encodeURIComponent(input.a.id)}/reject`, { reason: input.reason }),
    onSuccess: async (_r, input) => {
      setRejecting(null);
      toast({ title: "Application rejected", description: `${input.a.email} was told why.`, tone: "success" });
      await refresh();
    },
  });

  function submitReject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!rejecting) return;
    const text = reason.trim();
    setReasonError(text ? null : "Give the applicant a reason");
    if (text) reject.mutate({ a: rejecting, reason: text });
  }

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Operator applications</CardTitle>
          <CardDescription>
            Sent to <code>POST /apply</code> (seed 001). Approving creates the operator&apos;s organization, makes the applicant its owner and mails them a first
            API key with the <code>trust:read</code> and <code>trust:write</code> scopes. Only instance administrators see this page.
          </CardDescription>
        </div>
        <Select aria-label="Show applications" options={FILTERS} value={status} onChange={(e) => setStatus(e.target.value)} className="h-8 w-36" />
      </CardHeader>
      <div className="p-4 sm:p-5">
        <QueryView
          query={applications}
          loading="Loading applications"
          empty={
            <EmptyState icon={<InboxIcon className="size-5" />} title={status === "pending" ? "No pending applications" : "No applications"} description="Applications sent to POST /apply appear here." />
          }
        >
          {(data) => (
            <Table aria-label="Operator applications">
              <TableHeader columns={["Applicant", "Company and reason", "Received", "Status"]} />
              <TBody>
                {data.map((a) => (
                  <Tr key={a.id}>
                    <Td label="Applicant">
                      <span className="min-w-0 text-right sm:text-left">
                        <span className="block font-medium text-fg">{a.name}</span>
                        <span className="block text-xs break-all text-fg-muted">{a.email}</span>
                      </span>
                    </Td>
                    <Td label="Company and reason">
                      <span className="min-w-0 text-right sm:text-left">
                        <span className="block text-fg">{a.company ?? "—"}</span>
                        {a.reason ? <span className="block text-xs break-words text-fg-muted">{a.reason}</span> : null}
                      </span>
                    </Td>
                    <Td label="Received" className="text-fg-muted">
                      {formatDateTime(a.createdAt)}
                    </Td>
                    <Td label="Status">
                      <span className="min-w-0 text-right sm:text-left">
                        <Badge tone={STATUS_TONE[a.status]}>{a.status}</Badge>
                        {a.rejectionReason ? <span className="mt-1 block text-xs break-words text-fg-muted">{a.rejectionReason}</span> : null}
                      </span>
                    </Td>
                    <Td label="Actions" className="sm:text-right">
                      {a.status === "pending" ? (
                        <span className="inline-flex gap-2">
                          <Button
                            size="sm"
                            onClick={() => {
                              approve.reset();
                              setApproving(a);
                            }}
                          >
                            Approve
                          </Button>
                          <Button
                            size="sm"
                            variant="secondary"
                            onClick={() => {
                              reject.reset();
                              setReason("");
                              setReasonError(null);
                              setRejecting(a);
                            }}
                          >
                            Reject
                          </Button>
                        </span>
                      ) : a.decidedAt ? (
                        <span className="text-xs text-fg-muted">{formatDateTime(a.decidedAt)}</span>
                      ) : null}
                    </Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </QueryView>
      </div>
      <ConfirmDialog
        open={approving !== null}
        title="Approve this application?"
        description={
          approving ? `${approving.company ?? `${approving.name}'s organization`} will be created for ${approving.email}, who receives its first API key by mail.` : ""
        }
        confirmLabel="Approve"
        tone="primary"
        pending={approve.isPending}
        error={approve.isError ? describeError(approve.error) : null}
        onConfirm={() => approving && approve.mutate(approving)}
        onClose={() => setApproving(null)}
      />
      <Dialog open={rejecting !== null} onClose={() => setRejecting(null)} title="Reject this application?" description={rejecting ? `The reason is mailed to ${rejecting.email}.` : ""}>
        <form noValidate onSubmit={submitReject} className="space-y-3">
          <Field label="Reason" error={reasonError}>
            {(control) => <Input {...control} value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} placeholder="Why the application is not approved" />}
          </Field>
          {reject.isError ? (
            <p role="alert" className="rounded-lg bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg">
              {describeError(reject.error)}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => setRejecting(null)} disabled={reject.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" loading={reject.isPending}>
              Reject
            </Button>
          </div>
        </form>
      </Dialog>
    </Card>
  );
}
