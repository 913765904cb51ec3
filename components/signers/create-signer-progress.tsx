"use client";

import { useState } from "react";
import { ElapsedTime } from "../ui/elapsed";
import { Spinner } from "../ui/spinner";

export type CeremonyPhase = "creating" | "waiting" | "keygen" | "aux" | "securing" | "confirming";
export type PartyRound = { protocol: "keygen" | "aux"; round: number };

export type WizardProgress = {
  mode: "remote" | "browser";
  phase: CeremonyPhase;
  /** Remote mode: the agent has claimed the invitation. */
  agentJoined: boolean;
  /** This browser's safe primes are ready. */
  primesReady: boolean;
  /** The furthest round seen per party (0 agent, 1 server, 2 you). */
  parties: Partial<Record<0 | 1 | 2, PartyRound>>;
};

export const ROUNDS_PER_PROTOCOL = 4;

const remotePhases = [
  { id: "waiting", label: "Agent joins" },
  { id: "keygen", label: "Key generation" },
  { id: "aux", label: "Auxiliary info" },
  { id: "securing", label: "Encrypt your share" },
  { id: "confirming", label: "Agent confirms" },
] as const;

const browserPhases = [
  { id: "waiting", label: "Safe primes" },
  { id: "keygen", label: "Key generation" },
  { id: "aux", label: "Auxiliary info" },
  { id: "securing", label: "Encrypt and activate" },
] as const;

const protocolName = { keygen: "Key generation", aux: "Auxiliary info (Paillier and ring-Pedersen proofs)" } as const;

export function progressText(p: WizardProgress): string {
  switch (p.phase) {
    case "creating":
      return "Creating the signer";
    case "waiting":
      if (p.mode === "remote" && !p.agentJoined) return p.primesReady ? "Waiting for the agent to join…" : "Waiting for the agent to join… (your safe primes are still being generated)";
      return p.mode === "remote" ? "The agent has joined; waiting for your safe primes" : "Waiting for your safe primes";
    case "keygen":
    case "aux": {
      const mine = p.parties[2];
      const round = mine && mine.protocol === p.phase ? mine.round : 1;
      return `${protocolName[p.phase]}: round ${Math.min(round, ROUNDS_PER_PROTOCOL)} of ${ROUNDS_PER_PROTOCOL}`;
    }
    case "securing":
      return p.mode === "remote" ? "Encrypting your share and confirming the public key" : "Encrypting your share and activating the signer";
    case "confirming":
      return "Waiting for the agent to confirm the public key…";
  }
}

/** The share of the ceremony done, 0..1 (phases and the user party's rounds). */
export function progressFraction(p: WizardProgress): number {
  const r = (x?: PartyRound) => (!x ? 0 : x.protocol === "keygen" ? Math.min(x.round, 4) : 4 + Math.min(x.round, 4));
  switch (p.phase) {
    case "creating":
      return 0.02;
    case "waiting":
      return 0.05 + (p.agentJoined ? 0.05 : 0) + (p.primesReady ? 0.05 : 0);
    case "keygen":
    case "aux":
      return 0.15 + 0.7 * (r(p.parties[2]) / 8);
    case "securing":
      return 0.88;
    case "confirming":
      return 0.95;
  }
}

function partyText(p: WizardProgress, party: 0 | 1 | 2): string {
  const at = p.parties[party];
  if (party === 0 && p.mode === "remote" && !p.agentJoined) return "not joined yet";
  if (!at) return party === 2 && !p.primesReady ? "waiting for safe primes" : party === 0 ? "joined, preparing its primes" : "started";
  const done = at.protocol === "aux" && at.round >= ROUNDS_PER_PROTOCOL;
  return done ? "finished its rounds" : `${at.protocol === "keygen" ? "key generation" : "auxiliary info"}, round ${at.round} of ${ROUNDS_PER_PROTOCOL}`;
}

export function CeremonyProgressView({ progress }: { progress: WizardProgress }) {
  const [startedAt] = useState(() => Date.now());
  const phases = progress.mode === "remote" ? remotePhases : browserPhases;
  const phaseId = progress.phase === "creating" ? "waiting" : progress.phase;
  const current = phases.findIndex((ph) => ph.id === phaseId);
  const pct = Math.round(progressFraction(progress) * 100);
  const rows: { party: 0 | 1 | 2; label: string }[] =
    progress.mode === "remote"
      ? [
          { party: 0, label: "Agent (party 0, its own machine)" },
          { party: 1, label: "Countersign (party 1)" },
          { party: 2, label: "You (party 2, this browser)" },
        ]
      : [
          { party: 0, label: "Agent (party 0, this browser)" },
          { party: 1, label: "Countersign (party 1)" },
          { party: 2, label: "You (party 2, this browser)" },
        ];
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
        <p className="min-w-0 flex-1 text-sm text-fg" role="status" aria-live="polite" data-testid="wizard-progress">
          {progressText(progress)}
        </p>
        <ElapsedTime since={startedAt} label="Elapsed" className="shrink-0 text-xs text-fg-muted" testId="wizard-elapsed" />
      </div>
      <div className="h-2 w-full overflow-hidden rounded-full bg-surface-muted" role="progressbar" aria-label="Key generation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="h-full bg-accent transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs" data-testid="wizard-parties">
        {rows.map((row) => (
          <div key={row.party} className="contents">
            <dt className="text-fg-muted">{row.label}</dt>
            <dd className="text-fg" data-testid={`wizard-party-${row.party}`}>
              {partyText(progress, row.party)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
