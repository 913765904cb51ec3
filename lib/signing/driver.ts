/**
 * Drives local parties through a ceremony hosted by the server. Point-to-point messages between two
 * local parties never leave this process; everything else goes through the server, which relays
 * broadcasts and runs its own party. Isomorphic: the browser, the agent SDK and tests use it.
 */
import type { Message, ProtocolBlame } from "@/lib/mpc";
import type { LocalParty } from "./local-party";

export type CeremonyResponse = {
  status: string;
  phase: string;
  messages: { seq: string; message: Message }[];
  result: unknown;
  blame: unknown;
};

export interface CeremonyTransport {
  submit(input: { party: number; seq: number; messages: Message[]; after: string }): Promise<CeremonyResponse>;
  poll(input: { party: number; after: string }): Promise<CeremonyResponse>;
}

export class CeremonyAborted extends Error {
  constructor(readonly blame: ProtocolBlame | unknown) {
    super(`ceremony aborted: ${JSON.stringify(blame)}`);
  }
}

export type DriveResult<O> = { outputs: Map<number, O>; serverResult: unknown };

export async function driveCeremony<O>(opts: {
  transport: CeremonyTransport;
  parties: LocalParty<O>[];
  /** Messages the server already produced (its first round), as returned when the ceremony was created. */
  initial?: { seq: string; message: Message }[];
  onProgress?: (e: { party: number; round: number; protocol: string }) => void;
  maxPolls?: number;
  pollIntervalMs?: number;
}): Promise<DriveResult<O>> {
  const local = new Map(opts.parties.map((p) => [p.index, p]));
  const cursor = new Map<number, bigint>([...local.keys()].map((k) => [k, 0n]));
  const seq = new Map<number, number>([...local.keys()].map((k) => [k, 0]));
  const inbox = new Map<number, Message[]>([...local.keys()].map((k) => [k, []]));
  // A party must see each message once: the hub may return one again (a retried poll) and
  // broadcasts are fetched per recipient.
  const seen = new Map<number, Set<string>>([...local.keys()].map((k) => [k, new Set()]));
  const outputs = new Map<number, O>();
  let serverResult: unknown = null;

  const enqueue = (to: number, m: Message) => {
    const key = `${m.protocol}:${m.round}:${m.from}:${m.to === "all" ? "all" : "direct"}`;
    if (m.from === to || seen.get(to)!.has(key)) return;
    seen.get(to)!.add(key);
    inbox.get(to)!.push(m);
  };
  const isLocalP2p = (m: Message) => typeof m.to === "number" && local.has(m.to);

  const absorb = (res: CeremonyResponse, party: number) => {
    if (res.status === "aborted" || res.status === "expired" || res.status === "rejected") throw new CeremonyAborted(res.blame ?? res.status);
    if (res.result) serverResult = res.result;
    for (const r of res.messages) {
      const s = BigInt(r.seq);
      if (s > cursor.get(party)!) cursor.set(party, s);
      enqueue(party, r.message);
    }
  };

  const send = async (party: number, out: Message[]) => {
    for (const m of out.filter(isLocalP2p)) enqueue(m.to as number, m);
    const remote = out.filter((m) => !isLocalP2p(m));
    for (const m of out) opts.onProgress?.({ party, round: m.round, protocol: m.protocol });
    if (!remote.length) return;
    const n = seq.get(party)! + 1;
    seq.set(party, n);
    absorb(await opts.transport.submit({ party, seq: n, messages: remote, after: cursor.get(party)!.toString() }), party);
  };

  for (const p of local.values()) await send(p.index, p.start());
  for (const i of local.keys()) for (const m of opts.initial ?? []) if (m.message.to === "all" || m.message.to === i) enqueue(i, m.message);

  const maxPolls = opts.maxPolls ?? 600;
  for (let polls = 0; polls < maxPolls; ) {
    if ([...local.values()].every((p) => p.done)) return { outputs, serverResult };
    let progressed = false;
    for (const p of local.values()) {
      const batch = inbox.get(p.index)!.splice(0);
      if (!batch.length) continue;
      progressed = true;
      const ev = p.receive(batch);
      if (ev.abort) throw new CeremonyAborted(ev.abort);
      if (ev.output !== undefined) outputs.set(p.index, ev.output);
      await send(p.index, ev.outgoing);
    }
    if (progressed) continue;
    polls++;
    for (const p of local.values()) if (!p.done) absorb(await opts.transport.poll({ party: p.index, after: cursor.get(p.index)!.toString() }), p.index);
    if ([...inbox.values()].every((q) => q.length === 0) && opts.pollIntervalMs) await new Promise((r) => setTimeout(r, opts.pollIntervalMs));
  }
  throw new Error("ceremony did not finish");
}
