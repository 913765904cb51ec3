"use client";

import { Spinner } from "../ui/spinner";

export type WizardProgress =
  | { phase: "primes"; done: number; total: number }
  | { phase: "keygen" | "aux"; round: number; total: number }
  | { phase: "securing" };

const phases = [
  { id: "primes", label: "Safe primes" },
  { id: "keygen", label: "Key generation" },
  { id: "aux", label: "Auxiliary info" },
  { id: "securing", label: "Encrypt and activate" },
] as const;

export function progressText(p: WizardProgress): string {
  if (p.phase === "primes") return `Generating safe primes: ${p.done} of ${p.total}`;
  if (p.phase === "keygen") return `Key generation: round ${Math.min(p.round, p.total)} of ${p.total}`;
  if (p.phase === "aux") return `Auxiliary info (Paillier and ring-Pedersen proofs): round ${Math.min(p.round, p.total)} of ${p.total}`;
  return "Encrypting your share and activating the signer";
}

function fraction(p: WizardProgress): number {
  if (p.phase === "primes") return 0.4 * (p.done / p.total);
  if (p.phase === "keygen") return 0.4 + 0.15 * (Math.min(p.round, p.total) / p.total);
  if (p.phase === "aux") return 0.55 + 0.4 * (Math.min(p.round, p.total) / p.total);
  return 0.97;
}

export function CeremonyProgressView({ progress }: { progress: WizardProgress }) {
  const current = phases.findIndex((ph) => ph.id === progress.phase);
  const pct = Math.round(fraction(progress) * 100);
  return (
    <div className="space-y-3">
      <ol className="flex flex-wrap gap-2 text-xs" aria-label="Key generation phases">
        {phases.map((ph, i) => (
          <li
            key={ph.id}
            aria-current={i === current ? "step" : undefined}
            className={
              i < current
                ? "rounded-full bg-success-soft px-2 py-1 text-success-soft-fg"
                : i === current
                  ? "rounded-full bg-accent-soft px-2 py-1 font-medium text-accent-soft-fg"
                  : "rounded-full bg-surface-muted px-2 py-1 text-fg-muted"
            }
          >
            {ph.label}
          </li>
        ))}
      </ol>
      <div className="flex items-center gap-3">
        <Spinner label="Working" />
        <p className="text-sm text-fg" role="status" aria-live="polite" data-testid="wizard-progress">
          {progressText(progress)}
        </p>
      </div>
      <div className="h-2 w-full overflow-hidden rounded-full bg-surface-muted" role="progressbar" aria-label="Key generation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="h-full bg-accent transition-[width]" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
