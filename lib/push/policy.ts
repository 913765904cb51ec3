/**
 * Pure rules of push delivery: what a push-service answer means, and when to try again.
 * No I/O here: lib/push/deliveries.ts applies these to the database.
 */
export const MAX_ATTEMPTS = 8;
export const BASE_DELAY_MS = 15_000;
export const MAX_DELAY_MS = 60 * 60_000;
/** While one worker sends a delivery, others leave it alone for this long. */
export const LEASE_MS = 60_000;
/** Web push payloads must stay under 4 KiB after encryption; keep the plaintext well below. */
export const MAX_PAYLOAD_BYTES = 3_000;

export type Outcome =
  | { kind: "sent" }
  /** 404/410: the subscription no longer exists; remove the device. */
  | { kind: "gone"; error: string }
  /** Worth retrying later (5xx, 429, network). */
  | { kind: "retry"; error: string }
  /** Retrying cannot help (400, 401, 403, 413: bad request, VAPID mismatch, payload too big). */
  | { kind: "fatal"; error: string };

export function classify(statusCode: number | null, message: string): Outcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { kind: "sent" };
  const error = statusCode === null ? `network error: ${message}` : `push service answered ${statusCode}`;
  if (statusCode === 404 || statusCode === 410) return { kind: "gone", error };
  if (statusCode === null || statusCode === 429 || statusCode >= 500 || statusCode === 408) return { kind: "retry", error };
  return { kind: "fatal", error };
}

/** Exponential backoff after the n-th failed attempt (n >= 1): 15 s, 30 s, 1 min, ... capped at 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

export type PushPayload = {
  title: string;
  body: string;
  /** Same-origin path the service worker opens on a click. */
  url: string;
  notificationId: string | null;
  requestId: string | null;
  /** Notifications with the same tag replace each other. */
  tag: string;
  /** Whether the device said it can show Accept/Reject buttons. */
  actions: boolean;
  requireInteraction: boolean;
};

/** JSON for the service worker, with the body shortened (ending in "…") so that it fits in one push message. */
export function encodePayload(p: PushPayload): string {
  let body = p.body;
  let s = JSON.stringify(p);
  while (Buffer.byteLength(s) > MAX_PAYLOAD_BYTES && body.length > 0) {
    const excess = Buffer.byteLength(s) - MAX_PAYLOAD_BYTES;
    body = body.slice(0, Math.max(0, body.replace(/…$/, "").length - Math.max(1, Math.ceil(excess / 4)) - 1));
    body = body.length ? `${body}…` : "";
    s = JSON.stringify({ ...p, body });
  }
  return s;
}
