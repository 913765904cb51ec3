import Link from "next/link";
import { MailIcon } from "../icons";
import { cn } from "../ui/cn";

export function EmailVerificationBanner({ email, className }: { email: string; className?: string }) {
  return (
    <div
      role="status"
      className={cn(
        "flex flex-col gap-3 rounded-xl border border-warning-soft-fg/20 bg-warning-soft px-4 py-3 text-warning-soft-fg sm:flex-row sm:items-center",
        className,
      )}
    >
      <MailIcon className="size-5 shrink-0" />
      <p className="flex-1 text-sm">
        <span className="font-semibold">Verify your email.</span> We sent a link to <span className="font-medium [overflow-wrap:anywhere]">{email}</span>.
        Approval requests and security alerts go to this address once it is confirmed.
      </p>
      {process.env.NODE_ENV !== "production" ? (
        <Link href="/dev/outbox" className="text-sm font-semibold underline underline-offset-2">
          Open dev outbox
        </Link>
      ) : null}
    </div>
  );
}
