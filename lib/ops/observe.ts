/**
 * What lib/http/handle.ts calls from its finally, where the request is logged: counts the request
 * and observes its latency per route template and status class. Contracts marked `quiet` (the
 * probes) are not counted.
 */
import type { RouteContract } from "@/lib/http/contract";
import { recordHttpRequest } from "./metrics";

export function observeRequest(contract: RouteContract, input: { method: string; status: number; started: number; requestId: string }): void {
  if (contract.quiet) return;
  recordHttpRequest({ method: input.method, route: contract.path, status: input.status, seconds: (performance.now() - input.started) / 1000 });
}
