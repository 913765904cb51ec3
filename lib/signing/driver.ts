/**
 * Drives local parties through a ceremony hosted by the server. Point-to-point messages between two
 * local parties never leave this process; everything else goes through the server, which relays
 * broadcasts and runs its own party. Point-to-point messages to and from a remote *client* party
 * (the browser ↔ the agent, issue #10) go through the server only end-to-end encrypted, with the
 * optional `codec` (lib/signing/e2e.ts): sealed on send, opened on receipt, and a message that does
 * not open aborts the run with an error naming its sender. Isomorphic: the browser, the agent SDK
 * and tests use it.
 */
import type { Message, ProtocolBlame } from "@/lib/mpc";
import type { P2pCodec } from "./e2e";
import type { AsyncLocalParty } from "./local-party";

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
  /** Tells the server a local party aborted (its blame, with evidence), so the abort is on record. */
  report?(input: { party: number; blame: ProtocolBlame }): Promise<unknown>;
}

export class CeremonyAborted extends Error {
  constructor(readonly blame: ProtocolBlame | unknown) {
    super(`ceremony aborted: ${JSON.stringify(blame)}`);
  }
}

export type DriveResult<O> = { outputs: Map<number, O>; serverResult: unknown };

export async function driveCeremony<O>(opts: {
  transport: CeremonyTransport;
  parties: AsyncLocalParty<O>[];
  /** Messages the server already produced (its first round), as returned when the ceremony was created. */
  initial?: { seq: string; message: Message }[];
  onProgress?: (e: { party: number; round: number; protocol: string }) => void;
  /** End-to-end encryption of point-to-point messages with remote client parties (`codec.peers`). */
  codec?: P2pCodec;
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
  /** Parties that reported further rounds ready (PartyEvent.more): advanced again with no new messages. */
  const more = new Set<number>();
  let serverResult: unknown = null;

  const enqueue = (to: number, m: Message) => {
    const key = `${m.protocol}:${m.round}:${m.from}:${m.to === "all" ? "all" : "direct"}`;
    if (m.from === to || seen.get(to)!.has(key)) return;
    seen.get(to)!.add(key);
    inbox.get(to)!.push(m);
  };
  const isLocalP2p = (m: Message) => typeof m.to === "number" && local.has(m.to);
  const codec = opts.codec;
  const e2ePeer = (p: number) => codec !== undefined && codec.peers.includes(p) && !local.has(p);
  /** A relayed p2p message from an end-to-end peer must open; a broadcast stays as it is. */
  const inbound = async (m: Message): Promise<Message> => (typeof m.to === "number" && e2ePeer(m.from) ? codec!.open(m) : m);
  const outbound = async (m: Message): Promise<Message> => (typeof m.to === "number" && e2ePeer(m.to) ? codec!.seal(m) : m);

  const absorb = async (res: CeremonyResponse, party: number) => {
    if (res.status === "aborted" || res.status === "expired" || res.status === "rejected") throw new CeremonyAborted(res.blame ?? res.status);
    if (res.result) serverResult = res.result;
    for (const r of res.messages) {
      const s = BigInt(r.seq);
      if (s > cursor.get(party)!) cursor.set(party, s);
      if (r.message.from === party) continue;
      enqueue(party, await inbound(r.message));
    }
  };

  const send = async (party: number, out: Message[]) => {
    for (const m of out.filter(isLocalP2p)) enqueue(m.to as number, m);
    const remote = await Promise.all(out.filter((m) => !isLocalP2p(m)).map(outbound));
    for (const m of out) opts.onProgress?.({ party, round: m.round, protocol: m.protocol });
    if (!remote.length) return;
    const n = seq.get(party)! + 1;
    seq.set(party, n);
    await absorb(await opts.transport.submit({ party, seq: n, messages: remote, after: cursor.get(party)!.toString() }), party);
  };

  for (const p of local.values()) await send(p.index, p.start());
  for (const i of local.keys()) for (const m of opts.initial ?? []) if (m.message.to === "all" || m.message.to === i) if (m.message.from !== i) enqueue(i, await inbound(m.message));

  const maxPolls = opts.maxPolls ?? 600;
  for (let polls = 0; polls < maxPolls; ) {
    if ([...local.values()].every((p) => p.done)) return { outputs, serverResult };
    let progressed = false;
    for (const p of local.values()) {
      const batch = inbox.get(p.index)!.splice(0);
      if (!batch.length && !more.has(p.index)) continue;
      progressed = true;
      const ev = await p.receive(batch);
      if (ev.more) more.add(p.index);
      else more.delete(p.index);
      if (ev.abort) {
        await opts.transport.report?.({ party: p.index, blame: ev.abort }).catch(() => undefined);
        throw new CeremonyAborted(ev.abort);
      }
      if (ev.output !== undefined) outputs.set(p.index, ev.output);
      await send(p.index, ev.outgoing);
    }
    if (progressed) continue;
    polls++;
    for (const p of local.values()) if (!p.done) await absorb(await opts.transport.poll({ party: p.index, after: cursor.get(p.index)!.toString() }), p.index);
    if ([...inbox.values()].every((q) => q.length === 0) && opts.pollIntervalMs) await new Promise((r) => setTimeout(r, opts.pollIntervalMs));
  }
  throw new Error("ceremony did not finish");
}
