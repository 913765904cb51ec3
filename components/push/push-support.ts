/**
 * Browser side of "add this device": capability checks, the VAPID key conversion, and turning a
 * PushSubscription into POST /api/devices's body. Pure where possible (the rest takes the browser
 * objects as arguments).
 */
export type PushSupport = { ok: true } | { ok: false; reason: string };

export function pushSupport(w: { isSecureContext: boolean; navigator: Navigator } & Record<string, unknown>): PushSupport {
  if (!w.isSecureContext) return { ok: false, reason: "Push needs a secure origin: open Countersign over https (or on localhost)." };
  if (!("serviceWorker" in w.navigator)) return { ok: false, reason: "This browser has no service workers, so it cannot receive push notifications." };
  if (!("PushManager" in w)) return { ok: false, reason: "This browser does not support web push. On iPhone and iPad, add Countersign to the home screen first (Share → Add to Home Screen) and open it from there." };
  if (!("Notification" in w)) return { ok: false, reason: "This browser cannot show notifications." };
  return { ok: true };
}

export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export type SubscriptionJson = { endpoint: string; expirationTime: number | null; keys: { p256dh: string; auth: string } };

export function deviceBody(sub: { endpoint?: string; expirationTime?: number | null; keys?: Record<string, string> }, caps: { maxActions?: number; actions: boolean; requireInteraction: boolean }) {
  if (!sub.endpoint || !sub.keys?.p256dh || !sub.keys.auth) throw new Error("The browser returned an incomplete push subscription.");
  return {
    subscription: { endpoint: sub.endpoint, expirationTime: sub.expirationTime ?? null, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } },
    capabilities: {
      ...(typeof caps.maxActions === "number" ? { maxActions: caps.maxActions } : {}),
      supportsNotificationActions: caps.actions,
      supportsRequireInteraction: caps.requireInteraction,
    },
  };
}

/** Why pushManager.subscribe failed, in words a person can act on. */
export function subscribeErrorMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : err instanceof Error ? err.name : "";
  const detail = err instanceof Error && err.message ? ` (${err.message})` : "";
  if (name === "NotAllowedError") return "Notifications are blocked for this site. Allow them in the browser's site settings, then try again.";
  if (name === "AbortError" || name === "NotSupportedError" || name === "InvalidStateError")
    return `The browser could not reach its push service to create a subscription${detail}. Push needs a browser connected to its vendor's push service (Chrome, Edge, Firefox, or Safari 16.4+ installed to the home screen) and network access to it.`;
  return `Could not subscribe this device to push notifications${detail}.`;
}
