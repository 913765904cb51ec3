import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) persisted in `dataDir`
 * (or in memory when omitted), served over the PostgreSQL wire protocol on a loopback port so the
 * app talks to it exactly as it talks to a real server. One connection at a time: clients use a
 * pool of 1.
 */
export type EmbeddedDatabase = {
  url: string;
  port: number;
  /** The data directory as an uncompressed tarball, which `from` accepts to start a copy. */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
};

/**
 * `from` starts from a dumped data directory instead of running initdb (a fraction of the start-up
 * time: the test suites start every file from one migrated template).
 */
export async function startEmbeddedDatabase(opts: { dataDir?: string; port?: number; from?: Blob } = {}): Promise<EmbeddedDatabase> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), ...(opts.from ? { loadDataDir: opts.from } : {}) });
  // Several processes (the app, the migrator, a second app instance) may connect; the socket server
  // multiplexes them onto PGlite's single session and keeps a transaction on its own connection.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port: opts.port ?? 0, maxConnections: 16 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  if (!Number.isInteger(port) || port <= 0) throw new Error("Embedded database did not report its port");
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    dump: async () => (await pglite.dumpDataDir("none")) as Blob,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
