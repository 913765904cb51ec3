import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "../ui/card";
import { cn } from "../ui/cn";

/** One overview card: a titled section with its icon, its body, and the link to the page it summarises. */
export function OverviewCard({
  id,
  title,
  description,
  icon,
  href,
  linkLabel,
  className,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  icon: ReactNode;
  href: string;
  linkLabel: string;
  className?: string;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <Card aria-labelledby={headingId} data-testid={`overview-${id}`} className={cn("flex min-w-0 flex-col", className)}>
      <div className="flex items-start justify-between gap-3 border-b border-border px-5 py-4">
        <div className="min-w-0">
          <h2 id={headingId} className="text-base font-semibold text-fg">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-fg-muted">{description}</p> : null}
        </div>
        <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-accent-soft text-accent-soft-fg">
          {icon}
        </span>
      </div>
      <div className="min-w-0 flex-1 px-5 py-4">{children}</div>
      <div className="border-t border-border px-5 py-3">
        <Link href={href} className="text-sm font-medium text-accent-soft-fg underline-offset-2 hover:underline">
          {linkLabel}
        </Link>
      </div>
    </Card>
  );
}

/** A card section's small heading. */
export function CardSection({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={cn("min-w-0 space-y-2", className)}>
      <h3 className="text-xs font-semibold tracking-wide text-fg-muted uppercase">{title}</h3>
      {children}
    </section>
  );
}
