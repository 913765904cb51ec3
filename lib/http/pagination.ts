import { z } from "zod";
import { BadRequestError } from "./errors";

export type Page = { cursor: string | null; limit: number };

export const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** Cursors are opaque to clients: base64url of the last seen sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`v1:${key}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  if (!raw.startsWith("v1:") || !/^v1:\d{1,20}$/.test(raw)) throw new BadRequestError("Invalid cursor", [{ field: "cursor", message: "Invalid cursor" }]);
  return raw.slice(3);
}

export function toPage(q: { cursor?: string; limit: number }): Page {
  return { cursor: q.cursor ?? null, limit: q.limit };
}
