import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { ALG_COSIGNATURE_V1, encodeSkey, encodeVkey, parseSkey, parseVkey, signerFromSeed, type Signer, type Verifier } from "./note";
import { addCheckpoint, decodeWitnessState, encodeWitnessState, type WitnessState } from "./witness";

/**
 * The witness process (`countersign witness`): its cosigner key and state live in files under a
 * data directory (`witness-key`, mode 0600, and `state.json`, both written atomically), not in the
 * app's database. Requests are handled one at a time so the state file follows every answer.
 */
const MAX_BODY = 64 * 1024;

async function writeAtomic(file: string, data: string, mode: number) {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, file);
}

async function loadOrCreateKey(dir: string, name: string): Promise<Signer> {
  const file = path.join(dir, "witness-key");
  try {
    const signer = parseSkey((await readFile(file, "utf8")).trim());
    if (signer.name !== name || signer.alg !== ALG_COSIGNATURE_V1) throw new Error(`${file} holds the key of another witness (${signer.name})`);
    return signer;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const signer = signerFromSeed(name, new Uint8Array(randomBytes(32)), ALG_COSIGNATURE_V1);
  await writeAtomic(file, `${encodeSkey(signer)}\n`, 0o600);
  return signer;
}

async function loadState(file: string): Promise<WitnessState> {
  try {
    return decodeWitnessState(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw err;
  }
}

export type RunningWitness = { server: Server; port: number; vkey: string; close(): Promise<void> };

export async function startWitness(opts: { name: string; logVkeys: string[]; dataDir: string; port?: number; host?: string }): Promise<RunningWitness> {
  const logs = new Map<string, Verifier[]>();
  for (const v of opts.logVkeys) {
    const key = parseVkey(v);
    logs.set(key.name, [...(logs.get(key.name) ?? []), key]);
  }
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  const signer = await loadOrCreateKey(opts.dataDir, opts.name);
  const stateFile = path.join(opts.dataDir, "state.json");
  let state = await loadState(stateFile);
  let queue: Promise<unknown> = Promise.resolve();

  const server = createServer((req, res) => {
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { "content-type": contentType });
      res.end(body);
    };
    if (req.url !== "/add-checkpoint") return send(404, "text/plain; charset=utf-8", "not found\n");
    if (req.method !== "POST") return send(405, "text/plain; charset=utf-8", "method not allowed\n");
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return send(413, "text/plain; charset=utf-8", "request too large\n");
      let body: string;
      try {
        body = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        return send(400, "text/plain; charset=utf-8", "request is not UTF-8\n");
      }
      queue = queue.then(async () => {
        try {
          const r = addCheckpoint(state, logs, signer, body, BigInt(Math.floor(Date.now() / 1000)));
          if (r.state) {
            await writeAtomic(stateFile, encodeWitnessState(r.state), 0o600);
            state = r.state;
          }
          send(r.status, r.contentType, r.body);
        } catch {
          send(500, "text/plain; charset=utf-8", "internal error\n");
        }
      });
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once("error", ko);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 0);
  return { server, port, vkey: encodeVkey(signer), close: () => new Promise((ok) => server.close(() => ok())) };
}
