import type { ReactNode } from "react";
import type { SessionUser } from "../api/types";
import { Badge } from "../ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ThemeToggle } from "../ui/theme-toggle";

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 px-5 py-3 sm:flex-row sm:items-center sm:gap-4">
      <dt className="w-40 shrink-0 text-sm text-fg-muted">{term}</dt>
      <dd className="min-w-0 text-sm text-fg">{children}</dd>
    </div>
  );
}

export function AccountCard({ user }: { user: SessionUser }) {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Account</CardTitle>
          <CardDescription>How you are identified in audit logs and approval requests.</CardDescription>
        </div>
      </CardHeader>
      <dl className="divide-y divide-border">
        <Row term="Name">{user.name ?? <span className="text-fg-muted">Not set</span>}</Row>
        <Row term="Email">
          {user.email ? (
            <span className="flex flex-wrap items-center gap-2">
              <span className="break-all">{user.email}</span>
              {user.emailVerified ? <Badge tone="success">Verified</Badge> : <Badge tone="warning">Not verified</Badge>}
            </span>
          ) : (
            <span className="text-fg-muted">No email</span>
          )}
        </Row>
        <Row term="Wallet">
          {user.walletAddress ? <code className="font-mono text-xs break-all">{user.walletAddress}</code> : <span className="text-fg-muted">Not linked</span>}
        </Row>
        <Row term="Theme">
          <ThemeToggle />
        </Row>
      </dl>
    </Card>
  );
}
