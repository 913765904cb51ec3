/**
 * Same-origin JSON calls from a Web Worker (the session cookie travels with them) and the
 * CeremonyTransport over a round endpoint. Errors keep the HTTP status for the UI.
 */
import type { CeremonyResponse, CeremonyTransport } from "@/lib/signing/driver";

export class HttpCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = "HttpCallError";
  }
}

export async function postJson<T>(path: string, body: unknown, fetchImpl: typeof fetch = fetch): Promise<{ status: number; body: T }> {
  let res: Response;
  try {
    res = await fetchImpl(path, { method: "POST", credentials: "same-origin", headers: { accept: "application/json", "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    throw new HttpCallError(0, `Could not reach Countersign: ${err instanceof Error ? err.message : String(err)}`, null);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!res.ok) {
    const message = parsed && typeof parsed === "object" && typeof (parsed as { message?: unknown }).message === "string" ? (parsed as { message: string }).message : `Request failed (${res.status})`;
    throw new HttpCallError(res.status, message, parsed);
  }
  return { status: res.status, body: parsed as T };
}

/** Transport for driveCeremony over `POST <path>` with the given id field (ceremonyId or sessionId). */
export function roundTransport(path: string, id: { ceremonyId: string } | { sessionId: string }, withParty: boolean): CeremonyTransport {
  const round = async (b: { party: number; seq: number; messages: unknown[]; after: string }) => {
    const body = withParty ? { ...id, ...b } : { ...id, seq: b.seq, messages: b.messages, after: b.after };
    return (await postJson<CeremonyResponse>(path, body)).body;
  };
  return {
    submit: (b) => round(b),
    poll: ({ party, after }) => round({ party, seq: 0, messages: [], after }),
    report: ({ party, blame }) => postJson(path, withParty ? { ...id, party, seq: 0, messages: [], after: "0", abort: blame } : { ...id, seq: 0, messages: [], after: "0", abort: blame }),
  };
}

export function describeFailure(err: unknown): { message: string; status?: number } {
  if (err instanceof HttpCallError) return { message: err.message, status: err.status };
  if (err instanceof Error) return { message: err.message };
  return { message: String(err) };
}
