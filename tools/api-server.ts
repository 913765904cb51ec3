/**
 * Serves the API route handlers over plain node:http without Next (no pages, no build) on
 * 127.0.0.1. For tests that need another app instance on the same database. Prints
 * "listening <port>" once ready. Not a production server: use `npm start`.
 */
import { createServer } from "node:http";
import path from "node:path";
import { stampClientAddress } from "./lib/client-address.mjs";
import { createRouter } from "./lib/route-table";

const route = createRouter(path.resolve(process.cwd(), "app"));

const server = createServer(async (req, res) => {
  try {
    // As tools/server.mjs does: the socket's address in a header the client cannot set.
    stampClientAddress(req);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
    const response = await route(new Request(`http://${req.headers.host ?? "127.0.0.1"}${req.url}`, { method: req.method, headers, body }));
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (err) {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ statusCode: 500, message: "Internal server error" }));
    process.stderr.write(`${(err as Error).stack}\n`);
  }
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === "object" && a ? a.port : ""}\n`);
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => server.close(() => process.exit(0)));
