import { ApiError, NetworkError, apiErrorFromBody } from "./errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ApiRequest {
  method?: HttpMethod;
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Calls a same-origin Countersign API route with the session cookie and JSON bodies.
 * Resolves with the parsed body on 2xx; throws ApiError (non-2xx) or NetworkError (no answer).
 */
export async function apiRequest<T>(path: string, request: ApiRequest = {}, fetchImpl: FetchLike = fetch): Promise<T> {
  const { method = "GET", body, signal, headers: extra = {} } = request;
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json", ...extra } : { accept: "application/json", "content-type": "application/json", ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new NetworkError(error);
  }
  const parsed = await readBody(response);
  if (!response.ok) throw apiErrorFromBody(response.status, parsed);
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body: unknown = {}) => apiRequest<T>(path, { method: "POST", body }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PUT", body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
  delete: (path: string) => apiRequest<void>(path, { method: "DELETE" }),
};

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.statusCode === 401;
}
