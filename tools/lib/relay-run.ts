import { applyStep, type LocalRun, type Message, type ProtocolName, type StateBase, type StepResult } from "@/lib/mpc/protocol";
import { failureOf, type WorkerOutcome } from "@/lib/mpc/worker/worker-client";

/** A party that runs elsewhere (e.g. in a browser worker); `ms` is its own measure of the round's work. */
export interface RemoteParty {
  id: number;
  start(): Promise<{ ms: number; outcome: WorkerOutcome }>;
  step(incoming: Message[]): Promise<{ ms: number; outcome: WorkerOutcome }>;
}

export interface RelayRound {
  /** The remote party's `ms` for this round (undefined once it has its output). */
  remote?: number;
  /** CPU ms of each local party in this round. */
  local: Map<number, number>;
}

export interface RelayRun<O> {
  outputs: Map<number, O>;
  /** Round 1 is the start; one entry per round. */
  rounds: RelayRound[];
  /** Σ of the remote party's `ms`: its busy time. */
  remoteBusy: number;
  /** CPU ms per local party (start + every step). */
  cpu: Map<number, number>;
}

function remoteResult<O>(id: number, outcome: WorkerOutcome): { outgoing: Message[] } | { output: O } {
  if (outcome.type === "outgoing") return { outgoing: outcome.messages };
  if (outcome.type === "output") return { output: outcome.output as O };
  throw new Error(`party ${id}: ${failureOf(outcome)}`);
}

/**
 * Runs one protocol between a remote party and local parties (benchmarks), one after the other in each
 * round: the remote party works on the round's messages first, then every local party in this process,
 * so neither side's measure includes the other's work.
 */
export async function relayRun<S extends StateBase<ProtocolName>, O>(
  remote: RemoteParty,
  localIds: number[],
  start: (id: number) => { state: S; outgoing: Message[] },
  step: (s: S, incoming: Message[]) => StepResult<S, O>,
  onRound?: (round: number, r: RelayRound) => void,
): Promise<RelayRun<O>> {
  const outputs = new Map<number, O>();
  const cpu = new Map<number, number>();
  const states = new Map<number, S>();
  const rounds: RelayRound[] = [];
  let remoteLive = true;
  let pending: Message[] = [];

  const first = await remote.start();
  const r0 = remoteResult<O>(remote.id, first.outcome);
  if ("output" in r0) throw new Error(`party ${remote.id} finished at its start`);
  pending.push(...r0.outgoing);
  const round1: RelayRound = { remote: first.ms, local: new Map() };
  for (const id of localIds) {
    const t = performance.now();
    const r = start(id);
    round1.local.set(id, performance.now() - t);
    states.set(id, r.state);
    pending.push(...r.outgoing);
  }
  rounds.push(round1);
  onRound?.(1, round1);

  while (remoteLive || states.size > 0) {
    if (rounds.length === 100) throw new Error("the protocol still runs after 100 rounds");
    const inbox = (id: number) => pending.filter((m) => m.from !== id && (m.to === "all" || m.to === id));
    const run: LocalRun<S, O> = { states, outputs, next: [] };
    const round: RelayRound = { local: new Map() };
    if (remoteLive) {
      const { ms, outcome } = await remote.step(inbox(remote.id));
      round.remote = ms;
      const r = remoteResult<O>(remote.id, outcome);
      if ("output" in r) {
        outputs.set(remote.id, r.output);
        remoteLive = false;
      } else run.next.push(...r.outgoing);
    }
    for (const [id, st] of [...states]) {
      const t = performance.now();
      const r = step(st, inbox(id));
      round.local.set(id, performance.now() - t);
      applyStep(run, id, r);
    }
    rounds.push(round);
    onRound?.(rounds.length, round);
    pending = run.next;
  }
  for (const r of rounds) for (const [id, ms] of r.local) cpu.set(id, (cpu.get(id) ?? 0) + ms);
  const remoteBusy = rounds.reduce((s, r) => s + (r.remote ?? 0), 0);
  return { outputs, rounds, remoteBusy, cpu };
}
