import { CountersignApiError } from "../errors";
import type { OpenedShare } from "./share-store";

/** A GET with the signer's API key, for endpoints the SDK has no method for. */
export async function serverGet<T>(opened: OpenedShare, path: string): Promise<T> {
  const res = await opened.fetch(new URL(path, opened.baseUrl), { method: "GET", headers: { "x-api-key": opened.file.apiKey } });
  const body = (await res.json().catch(() => ({}))) as T;
  if (!res.ok) throw new CountersignApiError(res.status, body as never);
  return body;
}
