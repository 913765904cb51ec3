/*
 * Countersign service worker: shows approval requests pushed by the server (lib/push) and records
 * the human's answer.
 *
 * push: the payload is JSON { title, body, url, notificationId, requestId, tag, actions,
 *   requireInteraction } (lib/push/policy.ts PushPayload). The notification carries Accept and
 *   Reject buttons when the device supports them.
 * notificationclick:
 *   - Accept / Reject button: POST /api/responses { notificationId, response, source: "sw_action",
 *     rawAction, interpretedAction } with the session cookie. If the server refuses (401: above the
 *     organization's threshold a passkey is required, or the session expired; any other error), the
 *     approval page opens instead so the human can decide there.
 *   - a click on the notification itself opens (or focuses) the approval page.
 */
const ICON = "/icons/icon-192.png";
const BADGE = "/icons/badge-96.png";

self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

function parsePayload(data) {
  if (!data) return {};
  try {
    return data.json();
  } catch {
    return { body: data.text() };
  }
}

async function broadcast(message) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const w of windows) w.postMessage(message);
}

self.addEventListener("push", (event) => {
  const p = parsePayload(event.data);
  const notificationId = typeof p.notificationId === "string" ? p.notificationId : null;
  const url = typeof p.url === "string" && p.url.startsWith("/") ? p.url : notificationId ? `/approvals/${encodeURIComponent(notificationId)}` : "/approvals";
  const withActions = notificationId !== null && p.actions !== false;
  const options = {
    body: typeof p.body === "string" ? p.body : "",
    tag: typeof p.tag === "string" ? p.tag : notificationId ? `approval-${notificationId}` : "countersign",
    renotify: true,
    requireInteraction: p.requireInteraction !== false && notificationId !== null,
    icon: ICON,
    badge: BADGE,
    data: { url, notificationId, requestId: typeof p.requestId === "string" ? p.requestId : null },
    actions: withActions
      ? [
          { action: "accept", title: "Accept" },
          { action: "reject", title: "Reject" },
        ]
      : [],
  };
  event.waitUntil(Promise.all([self.registration.showNotification(typeof p.title === "string" ? p.title : "Countersign", options), broadcast({ type: "countersign:push", notificationId, requestId: options.data.requestId })]));
});

async function openApprovalPage(url) {
  const target = new URL(url || "/approvals", self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const w of windows) {
    if (w.url === target && "focus" in w) {
      await w.focus();
      return target;
    }
  }
  await self.clients.openWindow(target);
  return target;
}

/** Resolves with what happened: { recorded, status, opened } (opened: the page URL, when one was opened). */
async function respond(action, data) {
  const response = action === "accept" ? "accepted" : "rejected";
  let res = null;
  try {
    res = await fetch("/api/responses", {
      method: "POST",
      credentials: "include",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ notificationId: data.notificationId, response, source: "sw_action", rawAction: action, interpretedAction: response }),
    });
  } catch {
    res = null;
  }
  if (!res || !res.ok) {
    // 401: a passkey is required (value above the organization's threshold) or the session ended;
    // any other failure: let the human decide on the page.
    const opened = await openApprovalPage(data.url).catch(() => null);
    return { recorded: false, status: res ? res.status : 0, opened };
  }
  await broadcast({ type: "countersign:responded", notificationId: data.notificationId, response });
  await self.registration.showNotification(response === "accepted" ? "Approved" : "Rejected", {
    body: response === "accepted" ? "The request was approved." : "The request was rejected.",
    tag: `approval-${data.notificationId}`,
    icon: ICON,
    badge: BADGE,
    data: { url: data.url, notificationId: null, requestId: data.requestId },
  });
  return { recorded: true, status: res.status, opened: null };
}

/** The click logic, also callable directly (the end-to-end test drives it, since headless Chromium has no notification UI to click). */
function handleNotificationClick(data, action) {
  if ((action === "accept" || action === "reject") && data.notificationId) return respond(action, data);
  return openApprovalPage(data.url).then((opened) => ({ recorded: false, status: null, opened }));
}
self.countersign = { handleNotificationClick };

self.addEventListener("notificationclick", (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  event.waitUntil(handleNotificationClick(data, event.action));
});
