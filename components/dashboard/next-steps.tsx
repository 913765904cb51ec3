import Link from "next/link";
import { BotIcon, KeyIcon, ShieldIcon, UsersIcon } from "../icons";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "../ui/card";

const steps = [
  { href: "/settings/members", title: "Invite your approvers", body: "People who can approve what agents ask to do.", Icon: UsersIcon },
  { href: "/settings/api-keys", title: "Create an API key", body: "Lets your backend talk to Countersign.", Icon: KeyIcon },
  { href: "/signers", title: "Create a signer", body: "A 2-of-3 threshold wallet for an agent.", Icon: ShieldIcon },
  { href: "/agents", title: "Connect an agent", body: "Give it a signer and the guardrails it must follow.", Icon: BotIcon },
];

export function NextSteps() {
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Set up your organization</CardTitle>
          <CardDescription>Four steps from sign-up to an agent that can move money safely.</CardDescription>
        </div>
      </CardHeader>
      <CardBody className="p-2">
        <ol className="grid gap-1 sm:grid-cols-2">
          {steps.map(({ href, title, body, Icon }, index) => (
            <li key={href}>
              <Link href={href} className="flex items-start gap-3 rounded-lg p-3 hover:bg-surface-muted">
                <span className="flex size-8 shrink-0 items-center justify-center rounded-full border border-border text-xs font-semibold text-fg-muted">
                  {index + 1}
                </span>
                <span className="min-w-0">
                  <span className="flex items-center gap-2 text-sm font-medium text-fg">
                    <Icon className="size-4 text-fg-muted" />
                    {title}
                  </span>
                  <span className="mt-0.5 block text-sm text-fg-muted">{body}</span>
                </span>
              </Link>
            </li>
          ))}
        </ol>
      </CardBody>
    </Card>
  );
}
