import { startWitness } from "@/lib/tlog/witness-server";
import { isValidKeyName, NoteError, parseVkey } from "@/lib/tlog/note";
import { str, type Command } from "../command";
import { EXIT, UsageError } from "../errors";

export const witnessCommand: Command = {
  name: "witness",
  summary: "Run a transparency-log witness (C2SP tlog-witness) that cosigns a log's consistent checkpoints",
  positionals: [0, 0],
  options: { "log-vkey": { type: "string", multiple: true }, name: { type: "string" }, "data-dir": { type: "string" }, port: { type: "string" }, host: { type: "string" } },
  help: `Usage: countersign witness --log-vkey <vkey> --name <witness name> --data-dir <dir> [--port N]

Serves POST /add-checkpoint (C2SP tlog-witness): it checks the checkpoint's signature against the
log's key, that the old size is the latest it cosigned for that origin (409 with its size if not),
and the consistency proof from its stored root (422 if it fails: a fork), stores the new size and
root, and answers a tlog-cosignature/v1 line. Prints "witness vkey <vkey>" (give it to the log's
COUNTERSIGN_TLOG_WITNESSES and to verifiers' --witness) and "listening <port>".

  --log-vkey <vkey>   Verifier key of a log to witness (repeat for several logs; origin = key name)
  --name <name>       The witness's key name (e.g. witness.example.com)
  --data-dir <dir>    Directory for the witness key (witness-key) and state (state.json)
  --port <n>          TCP port (default: any free port)
  --host <addr>       Address to listen on (default 127.0.0.1)
  -h, --help          Show this help`,
  async run({ io, values }) {
    const logVkeys = (values["log-vkey"] as unknown as string[] | undefined) ?? [];
    const name = str(values.name);
    const dataDir = str(values["data-dir"]);
    const portText = str(values.port);
    if (!logVkeys.length) throw new UsageError("--log-vkey is required", "witness");
    if (!name || !isValidKeyName(name)) throw new UsageError("--name must be a key name (no spaces, no '+')", "witness");
    if (!dataDir) throw new UsageError("--data-dir is required", "witness");
    if (portText !== undefined && !/^\d{1,5}$/.test(portText)) throw new UsageError("--port must be a port number", "witness");
    for (const v of logVkeys) {
      try {
        parseVkey(v);
      } catch (err) {
        if (err instanceof NoteError) throw new UsageError(`--log-vkey: ${err.message}`, "witness");
        throw err;
      }
    }
    const w = await startWitness({ name, logVkeys, dataDir, ...(portText ? { port: Number(portText) } : {}), ...(str(values.host) ? { host: str(values.host)! } : {}) });
    io.stdout.write(`witness vkey ${w.vkey}\nlistening ${w.port}\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await w.close();
    return EXIT.ok;
  },
};
