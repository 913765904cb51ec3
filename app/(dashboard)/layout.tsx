import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers/query-provider";
import { AppShell } from "@/components/shell/app-shell";
import { loadSession } from "@/components/session/require-session";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const session = await loadSession();
  // Signed out: render the page bare; every dashboard page starts with requireSession(<its path>),
  // which redirects to /sign-in?next=<that path> before anything is shown.
  if (!session) return children;
  return (
    <QueryProvider>
      <AppShell session={session}>{children}</AppShell>
    </QueryProvider>
  );
}
