import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) persisted in `dataDir`
 * (or in memory when omitted), served over the PostgreSQL wire protocol on a loopback port so the
 * app talks to it exactly as it talks to a real server. One connection at a time: clients use a
 * pool of 1.
 */
export type EmbeddedDatabase = { url: string; port: number; stop(): Promise<void> };

export async function startEmbeddedDatabase(opts: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDatabase> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  // Several processes (the app, the migrator, a second app instance) may connect; the socket server
  // multiplexes them onto PGlite's single session and keeps a transaction on its own connection.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: opts.port ?? 0, maxConnections: 16 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error("Embedded database did not report its port");
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
