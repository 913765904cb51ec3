import { describe, expect, it } from "vitest";
import type { CoreKeyShare } from "@/lib/mpc/key-share";
import { startKeygen, stepKeygen, type KeygenState } from "@/lib/mpc/keygen";
import { FAST_TEST } from "@/lib/mpc/params";
import type { Message } from "@/lib/mpc/protocol";
import type { WorkerRequest, WorkerResponse } from "@/lib/mpc/worker/messages";
import { WorkerSession } from "@/lib/mpc/worker/session";
import { MpcWorkerClient, runWorkers, WorkerFailure, type WorkerLike } from "@/lib/mpc/worker/worker-client";
import { randomSid } from "./fixtures";

/** In-process stand-in for keygen.worker: same session driver, asynchronous message delivery. */
class FakeKeygenWorker implements WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  private session: WorkerSession<KeygenState, CoreKeyShare> | null = null;

  constructor(private readonly alter?: (m: Message) => Message) {}

  private post = (m: WorkerResponse) => {
    const data =
      m.type === "outgoing" && this.alter ? { ...m, messages: m.messages.map(this.alter) } : m;
    queueMicrotask(() => this.onmessage?.({ data } as MessageEvent));
  };

  postMessage(message: unknown): void {
    const req = message as WorkerRequest;
    if (req.type === "keygen.start") {
      const start = startKeygen({ ...req, profile: FAST_TEST });
      this.session = new WorkerSession({ protocol: "keygen", step: stepKeygen }, start, this.post, (output) => ({
        type: "output",
        protocol: "keygen",
        output,
      }));
    } else if (req.type === "step") {
      this.session?.step(req.incoming);
    }
  }

  terminate(): void {
    this.terminated = true;
  }
}

async function keygenVia(workers: Map<number, FakeKeygenWorker>) {
  const sid = randomSid();
  const clients = new Map([...workers].map(([i, w]) => [i, new MpcWorkerClient(w)]));
  const first = new Map(
    await Promise.all(
      [...clients].map(
        async ([i, c]) =>
          [i, await c.start({ type: "keygen.start", index: i, n: 3, threshold: 2, sid, profile: "fast-test" })] as const,
      ),
    ),
  );
  return runWorkers<CoreKeyShare>(clients, first);
}

describe("worker client and session driver", () => {
  it("routes a 2-of-3 keygen between three workers to matching outputs", async () => {
    const outputs = await keygenVia(new Map([0, 1, 2].map((i) => [i, new FakeKeygenWorker()])));
    expect(outputs.size).toBe(3);
    const pks = new Set([...outputs.values()].map((o) => o.publicKey));
    expect(pks.size).toBe(1);
    expect([...outputs.values()].map((o) => o.index).sort()).toEqual([0, 1, 2]);
  });

  it("surfaces an identifiable abort from a worker as WorkerFailure naming the blamed party", async () => {
    const cheat = (m: Message): Message =>
      m.round === 4 ? { ...m, payload: { z: "00".repeat(31) + "05" } } : m;
    const workers = new Map([0, 1, 2].map((i) => [i, new FakeKeygenWorker(i === 2 ? cheat : undefined)]));
    const err: unknown = await keygenVia(workers).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerFailure);
    expect((err as Error).message).toMatch(/"party":2,"protocol":"keygen","round":4,"check":"sch\.equation"/);
  });
});
