"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../api/client";
import { describeError } from "../api/errors";
import { auditLogPrefix, signerKeys, signerPath, type RotatedSignerKey, type Signer } from "../api/signers";
import { Button } from "../ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useToast } from "../ui/toast";
import { DeleteSignerDialog } from "./delete-signer-dialog";
import { RotatedKeyDialog } from "./rotated-key-dialog";

export function SignerActionsCard({ organizationId, signer }: { organizationId: string; signer: Signer }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const { toast } = useToast();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [rotatedSecret, setRotatedSecret] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const refreshList = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: signerKeys.list(organizationId) }),
      queryClient.invalidateQueries({ queryKey: auditLogPrefix }),
    ]);

  const toggle = useMutation({
    mutationFn: (action: "pause" | "resume") => api.post<{ signer: Signer }>(signerPath(signer.id, `/${action}`)).then((body) => body.signer),
    onSuccess: async (updated) => {
      queryClient.setQueryData(signerKeys.detail(organizationId, signer.id), updated);
      await refreshList();
      toast({ title: updated.status === "paused" ? "Signer paused" : "Signer resumed", tone: "success" });
    },
  });

  const rotate = useMutation({
    mutationFn: () => api.post<RotatedSignerKey>(signerPath(signer.id, "/regenerate-key")),
    onSuccess: (body) => {
      setConfirmRotate(false);
      setRotatedSecret(body.apiKey.secret);
      void queryClient.invalidateQueries({ queryKey: auditLogPrefix });
    },
  });

  const remove = useMutation({
    mutationFn: () => api.delete(signerPath(signer.id)),
    onSuccess: async () => {
      queryClient.setQueryData<Signer[]>(signerKeys.list(organizationId), (list) => list?.filter((item) => item.id !== signer.id));
      toast({ title: "Signer deleted", description: `${signer.name} and its key shares were wiped.`, tone: "success" });
      router.push("/signers");
      await refreshList();
    },
  });

  const canToggle = signer.status === "active" || signer.status === "paused";
  const canRotate = signer.status === "active" || signer.status === "paused";

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Actions</CardTitle>
          <CardDescription>Pausing blocks all signing until you resume. Rotating the API key cuts off the old key at once.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="space-y-3">
        <div className="flex flex-wrap gap-2">
          {canToggle ? (
            <Button
              variant="secondary"
              loading={toggle.isPending}
              onClick={() => toggle.mutate(signer.status === "paused" ? "resume" : "pause")}
            >
              {signer.status === "paused" ? "Resume signer" : "Pause signer"}
            </Button>
          ) : null}
          {canRotate ? (
            <Button
              variant="secondary"
              onClick={() => {
                rotate.reset();
                setConfirmRotate(true);
              }}
            >
              Rotate API key
            </Button>
          ) : null}
          <Button
            variant="danger"
            onClick={() => {
              remove.reset();
              setDeleting(true);
            }}
          >
            Delete signer
          </Button>
        </div>
        {toggle.isError ? (
          <p role="alert" className="text-sm text-danger-soft-fg">
            {describeError(toggle.error)}
          </p>
        ) : null}
      </CardBody>

      <ConfirmDialog
        open={confirmRotate}
        title="Rotate API key?"
        description="A new key is issued and the current one stops working immediately. Your agent must switch to the new key."
        confirmLabel="Rotate key"
        tone="primary"
        pending={rotate.isPending}
        error={rotate.isError ? describeError(rotate.error) : null}
        onConfirm={() => rotate.mutate()}
        onClose={() => setConfirmRotate(false)}
      />
      {rotatedSecret ? <RotatedKeyDialog signerName={signer.name} secret={rotatedSecret} onClose={() => setRotatedSecret(null)} /> : null}
      {deleting ? (
        <DeleteSignerDialog
          signerName={signer.name}
          pending={remove.isPending}
          error={remove.isError ? describeError(remove.error) : null}
          onConfirm={() => remove.mutate()}
          onClose={() => setDeleting(false)}
        />
      ) : null}
    </Card>
  );
}
