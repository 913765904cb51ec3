import { cache } from "react";
import { redirect } from "next/navigation";
import { getPageSession } from "@/lib/auth/page-session";
import { signInHref } from "../auth/next-path";

/** One session lookup per request, shared by the dashboard layout and its page. */
export const loadSession = cache(() => getPageSession());

/**
 * Every dashboard page calls this with its own path: a layout cannot see the requested URL, so the
 * page is where the `next=` target for the sign-in redirect is known.
 */
export async function requireSession(path: string) {
  const session = await loadSession();
  if (!session) redirect(signInHref(path));
  return session;
}
