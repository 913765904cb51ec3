import Link from "next/link";
import type { SetupStep } from "@/lib/overview/aggregate";
import { CheckIcon } from "../icons";
import { Card } from "../ui/card";
import { cn } from "../ui/cn";

/** The four set-up steps; shown until every one is done, each ticked once the organization has it. */
export function SetupSteps({ steps }: { steps: readonly SetupStep[] }) {
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  return (
    <Card aria-labelledby="setup-heading" data-testid="overview-setup">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-border px-5 py-4">
        <div>
          <h2 id="setup-heading" className="text-base font-semibold text-fg">
            Set up your organization
          </h2>
          <p className="mt-1 text-sm text-fg-muted">Four steps from sign-up to an agent that can move money safely.</p>
        </div>
        <span className="text-sm font-medium text-fg-muted tabular-nums">
          {done} of {steps.length} done
        </span>
      </div>
      <ol className="grid gap-1 p-2 sm:grid-cols-2">
        {steps.map((step, index) => (
          <li key={step.id} data-testid={`setup-${step.id}`} data-done={step.done}>
            <Link href={step.href} className="flex items-start gap-3 rounded-lg p-3 hover:bg-surface-muted">
              <span
                className={cn(
                  "flex size-8 shrink-0 items-center justify-center rounded-full border text-xs font-semibold",
                  step.done ? "border-transparent bg-success-soft text-success-soft-fg" : "border-border text-fg-muted",
                )}
              >
                {step.done ? <CheckIcon className="size-4" aria-hidden="true" /> : index + 1}
              </span>
              <span className="min-w-0">
                <span className={cn("block text-sm font-medium", step.done ? "text-fg-muted line-through" : "text-fg")}>
                  {step.title}
                  {step.done ? <span className="sr-only"> (done)</span> : null}
                </span>
                <span className="mt-0.5 block text-sm text-fg-muted">{step.body}</span>
              </span>
            </Link>
          </li>
        ))}
      </ol>
    </Card>
  );
}
