/**
 * Same-origin JSON calls for the seed 004 routes (errors are `{ error }` there, `{ message }` under
 * /api/v1). Throws HfaError with the server's sentence and status.
 */
export class HfaError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "HfaError";
    this.status = status;
  }
}

export async function hfaFetch<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      credentials: "same-origin",
      headers: { accept: "application/json", ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new HfaError(0, "Could not reach Countersign. Check your connection and try again.");
  }
  const text = res.status === 204 ? "" : await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  if (!res.ok) {
    const b = (typeof body === "object" && body !== null ? body : {}) as { error?: unknown; message?: unknown };
    const message = typeof b.error === "string" ? b.error : typeof b.message === "string" ? b.message : `Request failed (${res.status}).`;
    throw new HfaError(res.status, message);
  }
  return body as T;
}

export function errorText(err: unknown): string {
  return err instanceof Error && err.message ? err.message : "Something unexpected happened.";
}
