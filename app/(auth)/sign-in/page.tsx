import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInPanel } from "@/components/auth/sign-in-panel";
import { safeNextPath } from "@/components/auth/next-path";
import { loadSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { next: rawNext } = await searchParams;
  const next = safeNextPath(typeof rawNext === "string" ? rawNext : null);
  if (await loadSession()) redirect(next);
  return <SignInPanel next={next} />;
}
