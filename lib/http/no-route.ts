import { NotFoundError } from "./errors";

/** The handler of the JSON 404 catch-alls. */
export async function noRoute({ req }: { req: Request }): Promise<never> {
  throw new NotFoundError(`No route for ${req.method} ${new URL(req.url).pathname}`);
}

/**
 * The same request without its body: an unknown path is a 404 whatever was sent, not a 400, 413 or
 * 415 about a body no route will read.
 */
export function withoutBody(req: Request): Request {
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  headers.delete("content-type");
  return new Request(req.url, { method: req.method, headers });
}
