import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { loadSession } from "@/components/session/require-session";

export const metadata: Metadata = { title: "Create account" };

export default async function SignUpPage() {
  if (await loadSession()) redirect("/");
  return <SignUpForm />;
}
