import { applyStep, type LocalRun, type Message, type ProtocolName, type StateBase, type StepResult } from "@/lib/mpc/protocol";

export interface TimedRun<O> {
  outputs: Map<number, O>;
  /** CPU ms per party (start + every step). */
  cpu: Map<number, number>;
  /** Σ over rounds of the slowest party: wall time if parties run in parallel with instant transport. */
  criticalPath: number;
  /** Wall time of this single-threaded run (parties one after another). */
  sequential: number;
  /** Bytes of JSON per message, by round (one entry per message). */
  sizes: Map<number, number[]>;
}

/** Runs a protocol's parties one after another in this process, delivering each round's messages (benchmarks). */
export function timedRun<S extends StateBase<ProtocolName>, O>(
  ids: number[],
  start: (id: number) => { state: S; outgoing: Message[] },
  step: (s: S, incoming: Message[]) => StepResult<S, O>,
): TimedRun<O> {
  const t0 = performance.now();
  const cpu = new Map<number, number>();
  const states = new Map<number, S>();
  const sizes = new Map<number, number[]>();
  let pending: Message[] = [];
  let criticalPath = 0;
  let slowest = 0;
  for (const id of ids) {
    const t = performance.now();
    const r = start(id);
    const dt = performance.now() - t;
    cpu.set(id, dt);
    slowest = Math.max(slowest, dt);
    states.set(id, r.state);
    pending.push(...r.outgoing);
  }
  criticalPath += slowest;
  const outputs = new Map<number, O>();
  for (let round = 0; states.size > 0; round++) {
    if (round === 100) throw new Error(`parties ${[...states.keys()].join(", ")} still running after 100 rounds`);
    for (const m of pending) {
      const list = sizes.get(m.round) ?? [];
      list.push(JSON.stringify(m).length);
      sizes.set(m.round, list);
    }
    const run: LocalRun<S, O> = { states, outputs, next: [] };
    slowest = 0;
    for (const [id, st] of [...states]) {
      const incoming = pending.filter((m) => m.from !== id && (m.to === "all" || m.to === id));
      const t = performance.now();
      const r = step(st, incoming);
      const dt = performance.now() - t;
      cpu.set(id, (cpu.get(id) ?? 0) + dt);
      slowest = Math.max(slowest, dt);
      applyStep(run, id, r);
    }
    criticalPath += slowest;
    pending = run.next;
  }
  return { outputs, cpu, criticalPath, sequential: performance.now() - t0, sizes };
}
