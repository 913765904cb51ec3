/** Validation of a user-typed server URL, as a usage error (apart from parse-values: no viem, every command checks --base-url). */
import { UsageError } from "./errors";

export function parseUrl(text: string, flag: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
    return text;
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
}
