import type { ReactNode } from "react";
import { PageHeader } from "../shell/page-header";
import { Badge } from "../ui/badge";
import { EmptyState } from "../ui/empty-state";

export interface UpcomingAreaProps {
  title: string;
  summary: string;
  icon: ReactNode;
  emptyTitle: string;
  points: readonly string[];
}

/** An area of the dashboard that is not built yet: says plainly what will appear here, with no sample data. */
export function UpcomingArea({ title, summary, icon, emptyTitle, points }: UpcomingAreaProps) {
  return (
    <>
      <PageHeader title={title} description={summary} actions={<Badge tone="accent">Coming soon</Badge>} />
      <EmptyState
        icon={icon}
        title={emptyTitle}
        description={
          <ul className="mt-1 space-y-1.5 text-left">
            {points.map((point) => (
              <li key={point} className="flex gap-2">
                <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-accent" />
                <span>{point}</span>
              </li>
            ))}
          </ul>
        }
      />
    </>
  );
}
