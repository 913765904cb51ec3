/**
 * The one place the socket's address enters a request: every server in front of our route handlers
 * (tools/server.mjs for `npm start`, tools/api-server.ts for tests) calls this on every incoming
 * request before anything else reads it. Whatever a client sent under this header is dropped and
 * replaced, so the value the handlers read (lib/http/client-address.ts) is never the client's word.
 * Plain JavaScript: the production server runs it without a TypeScript loader.
 */
export const CLIENT_IP_HEADER = "x-countersign-client-ip";

/** @param {import("node:http").IncomingMessage} req */
export function stampClientAddress(req) {
  delete req.headers[CLIENT_IP_HEADER];
  const raw = req.socket?.remoteAddress;
  if (raw) req.headers[CLIENT_IP_HEADER] = raw.startsWith("::ffff:") && raw.includes(".") ? raw.slice(7) : raw;
  // Node keeps the headers as sent in rawHeaders too; drop any copy there so no reader can find the client's value.
  const raws = req.rawHeaders;
  for (let i = raws.length - 2; i >= 0; i -= 2) if (raws[i].toLowerCase() === CLIENT_IP_HEADER) raws.splice(i, 2);
  return req;
}
