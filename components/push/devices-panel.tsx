"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { PublicDevice } from "@/lib/push/devices";
import { formatRelative } from "../format/dates";
import { PlusIcon, TrashIcon } from "../icons";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { ErrorState } from "../ui/error-state";
import { SkeletonBlock } from "../ui/skeleton";
import { useToast } from "../ui/toast";
import { errorText, HfaError, hfaFetch } from "./hfa-fetch";
import { applicationServerKey, deviceBody, pushSupport, subscribeErrorMessage } from "./push-support";

const DEVICES_KEY = ["push", "devices"] as const;

type TestResult = { deliveries: { deviceId: string; status: "sent" | "pending" | "gone" | "failed"; error: string | null }[] };

function pushServiceName(endpoint: string): string {
  try {
    const host = new URL(endpoint).hostname;
    if (host.endsWith("googleapis.com")) return "Chrome / Android (FCM)";
    if (host.endsWith("mozilla.com") || host.endsWith("mozaws.net")) return "Firefox (Mozilla push)";
    if (host.endsWith("push.apple.com")) return "Safari (Apple push)";
    if (host.endsWith("notify.windows.com")) return "Edge (Windows push)";
    return host;
  } catch {
    return "Unknown push service";
  }
}

async function currentSubscriptionEndpoint(): Promise<string | null> {
  if (typeof navigator === "undefined" || !("serviceWorker" in navigator)) return null;
  const reg = await navigator.serviceWorker.getRegistration("/");
  const sub = await reg?.pushManager?.getSubscription();
  return sub?.endpoint ?? null;
}

async function addThisDevice(): Promise<PublicDevice> {
  const support = pushSupport(window as unknown as Parameters<typeof pushSupport>[0]);
  if (!support.ok) throw new Error(support.reason);
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error("Notifications are blocked for this site. Allow them in the browser's site settings, then try again.");
  const registration = (await navigator.serviceWorker.getRegistration("/")) ?? (await navigator.serviceWorker.register("/sw.js", { scope: "/" }));
  await navigator.serviceWorker.ready;
  const { publicKey } = await hfaFetch<{ publicKey: string }>("/api/v1/push/vapid-public-key");
  let subscription: PushSubscription;
  try {
    subscription = (await registration.pushManager.getSubscription()) ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(publicKey) }));
  } catch (err) {
    throw new Error(subscribeErrorMessage(err));
  }
  const proto = Notification.prototype as unknown as Record<string, unknown>;
  const body = deviceBody(subscription.toJSON() as Parameters<typeof deviceBody>[0], {
    maxActions: (Notification as unknown as { maxActions?: number }).maxActions,
    actions: "actions" in proto,
    requireInteraction: "requireInteraction" in proto,
  });
  return hfaFetch<PublicDevice>("/api/devices", { method: "POST", body });
}

export function DevicesPanel() {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const devices = useQuery({ queryKey: DEVICES_KEY, queryFn: () => hfaFetch<PublicDevice[]>("/api/devices") });
  const [thisEndpoint, setThisEndpoint] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [addError, setAddError] = useState<string | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PublicDevice | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [removePending, setRemovePending] = useState(false);
  const [permission, setPermission] = useState<string>("unknown");

  useEffect(() => {
    void currentSubscriptionEndpoint().then(setThisEndpoint, () => setThisEndpoint(null));
    if (typeof Notification !== "undefined") setPermission(Notification.permission);
  }, []);

  async function onAdd() {
    setAdding(true);
    setAddError(null);
    try {
      const d = await addThisDevice();
      setThisEndpoint(d.endpoint);
      toast({ title: "Device added", description: "Approval requests will be pushed to this device.", tone: "success" });
      await queryClient.invalidateQueries({ queryKey: DEVICES_KEY });
    } catch (err) {
      if (err instanceof HfaError && err.status === 409) {
        setAddError("This device is already registered.");
      } else {
        setAddError(errorText(err));
      }
    } finally {
      if (typeof Notification !== "undefined") setPermission(Notification.permission);
      setAdding(false);
    }
  }

  async function onTest(deviceId: string) {
    setTesting(deviceId);
    try {
      const r = await hfaFetch<TestResult>("/api/v1/push/test", { method: "POST", body: { deviceId } });
      const d = r.deliveries[0];
      if (d?.status === "sent") toast({ title: "Test notification sent", description: "It should appear on the device in a moment.", tone: "success" });
      else if (d?.status === "gone") toast({ title: "Device removed", description: "Its push subscription no longer exists.", tone: "error" });
      else toast({ title: "Test notification not delivered", description: d?.error ?? "The push service did not accept it; it will be retried.", tone: "error" });
      await queryClient.invalidateQueries({ queryKey: DEVICES_KEY });
    } catch (err) {
      toast({ title: "Could not send the test notification", description: errorText(err), tone: "error" });
    } finally {
      setTesting(null);
    }
  }

  async function onRemove() {
    if (!removing) return;
    setRemovePending(true);
    setRemoveError(null);
    try {
      await hfaFetch(`/api/devices/${encodeURIComponent(removing.id)}`, { method: "DELETE" });
      if (removing.endpoint === thisEndpoint) {
        const reg = await navigator.serviceWorker?.getRegistration("/");
        await (await reg?.pushManager?.getSubscription())?.unsubscribe();
        setThisEndpoint(null);
      }
      setRemoving(null);
      toast({ title: "Device removed", tone: "success" });
      await queryClient.invalidateQueries({ queryKey: DEVICES_KEY });
    } catch (err) {
      setRemoveError(errorText(err));
    } finally {
      setRemovePending(false);
    }
  }

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader>
          <div>
            <CardTitle>This device</CardTitle>
            <CardDescription>Get a notification with Accept and Reject buttons whenever an agent needs a human decision.</CardDescription>
          </div>
          <Button onClick={onAdd} loading={adding} icon={<PlusIcon className="size-4" />} data-testid="add-device">
            Add this device
          </Button>
        </CardHeader>
        <div className="space-y-3 px-5 py-4 text-sm text-fg-muted">
          <p>
            Notification permission: <Badge tone={permission === "granted" ? "success" : permission === "denied" ? "danger" : "neutral"}>{permission}</Badge>
            {thisEndpoint ? (
              <>
                {" "}
                · <Badge tone="accent">subscribed</Badge>
              </>
            ) : null}
          </p>
          <p>On a phone, install Countersign first (browser menu → Add to Home Screen / Install app), open it from the home screen, then add the device.</p>
          {addError ? <ErrorState title="This device could not be added" message={addError} /> : null}
        </div>
      </Card>

      <Card>
        <CardHeader>
          <div>
            <CardTitle>Registered devices</CardTitle>
            <CardDescription>Every device here receives your organization&apos;s approval requests.</CardDescription>
          </div>
        </CardHeader>
        <div className="px-5 py-4">
          {devices.isPending ? (
            <SkeletonBlock lines={3} label="Loading devices" />
          ) : devices.isError ? (
            <ErrorState message={errorText(devices.error)} onRetry={() => void devices.refetch()} />
          ) : devices.data.length === 0 ? (
            <EmptyState title="No devices yet" description="Add this device to receive approval requests as push notifications." />
          ) : (
            <ul className="divide-y divide-border" aria-label="Devices">
              {devices.data.map((d) => (
                <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="device-row">
                  <div className="min-w-0">
                    <p className="font-medium text-fg">
                      {pushServiceName(d.endpoint)} {d.endpoint === thisEndpoint ? <Badge tone="accent">this device</Badge> : null}
                    </p>
                    <p className="text-xs text-fg-muted">
                      Added {formatRelative(new Date(d.createdAt))} · {d.executionMode} mode
                      {d.supportsNotificationActions ? " · Accept/Reject buttons" : " · opens the approval page"}
                    </p>
                  </div>
                  <div className="flex gap-2">
                    <Button variant="secondary" size="sm" loading={testing === d.id} onClick={() => void onTest(d.id)}>
                      Send test
                    </Button>
                    <Button variant="ghost" size="sm" icon={<TrashIcon className="size-4" />} onClick={() => { setRemoveError(null); setRemoving(d); }} aria-label={`Remove ${pushServiceName(d.endpoint)}`}>
                      Remove
                    </Button>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </div>
      </Card>

      <ConfirmDialog
        open={removing !== null}
        title="Remove this device?"
        description="It will stop receiving approval requests. You can add it again later."
        confirmLabel="Remove device"
        pending={removePending}
        error={removeError}
        onConfirm={() => void onRemove()}
        onClose={() => setRemoving(null)}
      />
    </div>
  );
}
