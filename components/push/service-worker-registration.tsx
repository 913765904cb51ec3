"use client";

import { useEffect } from "react";

/**
 * Registers public/sw.js (push notifications with Accept/Reject). The worker has no fetch handler,
 * so it never caches or intercepts pages and cannot get in the way of the dev server. Browsers
 * without service workers, or insecure origins (http on a LAN address), simply skip it.
 */
export function ServiceWorkerRegistration() {
  useEffect(() => {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err: unknown) => {
      console.warn("Service worker registration failed", err);
    });
  }, []);
  return null;
}
