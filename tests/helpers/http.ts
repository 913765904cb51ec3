import { db } from "@/lib/db/client";
import { createSession, sessionCookie } from "@/lib/auth/session";
import { createOrganization } from "@/lib/orgs/organizations";
import { issueCredential } from "@/lib/auth/credentials";
import type { Role } from "@/lib/generated/prisma/enums";
import { CLIENT_IP_HEADER } from "@/lib/http/client-address";

type Handler = (req: Request, ctx?: { params: Promise<unknown> }) => Promise<Response>;

export type CallOptions = {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  cookie?: string;
  apiKey?: string;
  /** The socket address the request comes from, stamped as our servers do (tools/lib/client-address.mjs). */
  clientIp?: string;
};

export const ORIGIN = "http://localhost:3000";

/** Calls a Next route handler in-process with a real Request, as the server would. */
export async function call(handler: Handler, method: string, path: string, opts: CallOptions = {}) {
  const url = new URL(path, ORIGIN);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(opts.headers);
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.apiKey) headers.set("x-api-key", opts.apiKey);
  headers.delete(CLIENT_IP_HEADER);
  if (opts.clientIp) headers.set(CLIENT_IP_HEADER, opts.clientIp);
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const res = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers, text };
}

let counter = 0;

/** A user with a verified email, an organization where they hold `role`, and a session cookie. */
export async function makeUser(opts: { role?: Role; organizationId?: string; email?: string } = {}) {
  const n = ++counter;
  const user = await db().user.create({ data: { email: opts.email ?? `user${n}-${Date.now()}@example.com`, name: `User ${n}`, emailVerifiedAt: new Date() } });
  let organizationId = opts.organizationId;
  if (!organizationId) {
    const org = await createOrganization(db(), { name: `Org ${n}`, ownerId: user.id });
    organizationId = org.id;
    if (opts.role && opts.role !== "owner") await db().membership.update({ where: { organizationId_userId: { organizationId, userId: user.id } }, data: { role: opts.role } });
  } else {
    await db().membership.create({ data: { organizationId, userId: user.id, role: opts.role ?? "viewer" } });
  }
  const session = await createSession(db(), { userId: user.id, method: "passkey", organizationId });
  const setCookie = await sessionCookie(session);
  return { user, organizationId, session, cookie: setCookie.split(";")[0]! };
}

export async function makeApiKey(organizationId: string, scopes: string[]) {
  return issueCredential(db(), { organizationId, kind: "organization_key", name: "test key", scopes });
}
