import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A throwaway PostgreSQL cluster on 127.0.0.1 from the machine's server binaries (Debian layout). */
export function findPostgresBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** `halt()` stops the server (connections dropped, port closed) and `resume()` starts it again on the same port and data: a database outage, for the fault tests. */
export type PostgresServer = { url: string; stop(): void; halt(): void; resume(): void };

/** `fsync: true` keeps the server durable (the default here is fsync=off: throwaway clusters for tests). */
export async function startPostgres(opts: { fsync?: boolean } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)");
  const dir = mkdtempSync(path.join(tmpdir(), "countersign-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  // initdb refuses to run as root; run the server as the postgres user when we are root.
  const asUser = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  const run = (cmd: string, args: string[]) => {
    const full = [...asUser, path.join(bin, cmd), ...args];
    const r = spawnSync(full[0]!, full.slice(1), { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run("initdb", ["-D", data, "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const start = () => run("pg_ctl", ["-D", data, "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=${opts.fsync ? "on" : "off"}`, "-l", path.join(dir, "log"), "-w", "start"]);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    halt: () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]),
    resume: start,
    stop() {
      try {
        execFileSync(asUser[0] ?? path.join(bin, "pg_ctl"), [...asUser.slice(1), ...(asUser.length ? [path.join(bin, "pg_ctl")] : []), "-D", data, "-m", "immediate", "stop"], { stdio: "ignore" });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
