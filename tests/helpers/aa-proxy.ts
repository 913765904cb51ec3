/**
 * The app's /api/aa/* proxy as a browser reaches it, in-process: a proxy token from POST /api/aa/token
 * (as `cookie`'s member, or the public pool), then a fetch that hands /api/aa/bundler and
 * /api/aa/paymaster requests to their route handlers with the app's Origin and the token.
 */
import { expect } from "vitest";
import { http } from "viem";
import { createPaymasterClient } from "viem/account-abstraction";
import { POST as token } from "@/app/api/aa/token/route";
import { POST as bundlerRoute } from "@/app/api/aa/bundler/route";
import { POST as paymasterRoute } from "@/app/api/aa/paymaster/route";
import { call, ORIGIN } from "./http";

type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;

/** A fetch that hands /api/aa/* to the route handlers in-process, as the browser's fetch would reach them. */
export function appFetch(proxyToken: string): typeof fetch {
  const routes: Record<string, Handler> = { "/api/aa/bundler": bundlerRoute, "/api/aa/paymaster": paymasterRoute };
  return async (input, init) => {
    const req = new Request(input as string, init);
    const handler = routes[new URL(req.url).pathname];
    if (!handler) throw new Error(`no route for ${req.url}`);
    const headers = new Headers(req.headers);
    headers.set("origin", ORIGIN);
    headers.set("x-aa-proxy-token", proxyToken);
    return handler(new Request(req.url, { method: req.method, headers, body: await req.text() }));
  };
}

/** viem transports for the proxy on `chainId`: a token first (as `cookie`'s member when given). */
export async function aaProxyTransports(chainId: number, cookie?: string) {
  const t = await call(token, "POST", "/api/aa/token", { query: { chainId: String(chainId) }, headers: { origin: ORIGIN }, cookie, clientIp: "192.0.2.10" });
  expect(t.status).toBe(200);
  const fetchFn = appFetch(t.json.token);
  return {
    bundler: http(`${ORIGIN}/api/aa/bundler?chainId=${chainId}`, { fetchFn }),
    paymaster: createPaymasterClient({ transport: http(`${ORIGIN}/api/aa/paymaster?chainId=${chainId}`, { fetchFn }) }),
  };
}
