/**
 * What lib/http/handle.ts calls around each request: `tracedRoute` makes the whole handler run one
 * span (database spans nest under it), `observeRequest` — from handle's finally, where the request
 * is logged — counts it and labels the span with the request id the log line carries. Contracts
 * marked `quiet` (the probes) get neither.
 */
import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { RouteContract } from "@/lib/http/contract";
import { recordHttpRequest } from "./metrics";
import { tracingEnabled, untraced, withSpan } from "./tracing";

type Route<A extends unknown[]> = (req: Request, ...rest: A) => Promise<Response>;

export function tracedRoute<A extends unknown[]>(contract: RouteContract, route: Route<A>): Route<A> {
  if (contract.quiet) return (req, ...rest) => untraced(() => route(req, ...rest));
  return (req, ...rest) => {
    if (!tracingEnabled()) return route(req, ...rest);
    return withSpan(`${req.method} ${contract.path}`, { "http.request.method": req.method, "http.route": contract.path }, () => route(req, ...rest));
  };
}

export function observeRequest(contract: RouteContract, input: { method: string; status: number; started: number; requestId: string }): void {
  if (contract.quiet) return;
  recordHttpRequest({ method: input.method, route: contract.path, status: input.status, seconds: (performance.now() - input.started) / 1000 });
  if (!tracingEnabled()) return;
  const span = trace.getActiveSpan();
  span?.setAttributes({ "countersign.request_id": input.requestId, "http.response.status_code": input.status });
  if (input.status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
}
