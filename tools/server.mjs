/**
 * The HTTP server of `npm start` (tools/start.ts spawns it): Next's request handler behind a plain
 * node:http server, so that every request carries the socket's address in a header no client can
 * set (tools/lib/client-address.mjs). Route handlers and proxy.ts read it through
 * lib/http/client-address.ts. `--dev` serves with Next's development server.
 */
import { createServer } from "node:http";
import next from "next";
import { stampClientAddress } from "./lib/client-address.mjs";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  stampClientAddress(req);
  handle(req, res).catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("Internal server error\n");
  });
});
// Next attaches its own upgrade handler (the development server's HMR socket) to this server on the first request.
// npm start sets NEXT_MANUAL_SIG_HANDLE: lib/ops/drain.ts (installed by instrumentation.ts) drains on
// SIGTERM/SIGINT. Otherwise (npm run dev) a signal just closes the server and exits.
if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => server.close(() => app.close().finally(() => process.exit(0))));
}
server.listen(port, hostname, () => process.stdout.write(`[countersign] ${dev ? "development" : "production"} server listening on ${hostname}:${port}\n`));
