import { EXIT } from "../errors";
import type { Command } from "../command";

type VerifyLog = (argv: string[], io: { fetch: typeof fetch; readFile(p: string): Promise<string>; writeFile(p: string, d: string): Promise<void> }) => Promise<{ ok: boolean; reason: string }>;

/** tools/verify-log/verify.mjs, the zero-dependency verifier this command wraps (loaded at run time). */
const VERIFIER = new URL("../../../../tools/verify-log/verify.mjs", import.meta.url).href;

const ONE = ["vkey", "quorum", "url", "checkpoint", "proof", "event", "salt", "index", "old-checkpoint", "consistency-proof", "save-checkpoint"] as const;

export const verifyCommand: Command = {
  name: "verify",
  summary: "Verify the transparency log: a checkpoint, a decision's inclusion, consistency with a saved checkpoint",
  positionals: [0, 0],
  options: { ...Object.fromEntries(ONE.map((k) => [k, { type: "string" as const }])), witness: { type: "string", multiple: true } },
  help: `Usage: countersign verify --vkey <log vkey> [options]

Runs tools/verify-log/verify.mjs (Node's crypto only): checks the log's checkpoint signature against the
pinned key (and k of n witness cosignatures), a decision's inclusion proof for the leaf recomputed
from its event JSON and salt, and consistency between a saved older checkpoint and the newer one.
Prints one line; exit 0 when everything verifies, 1 otherwise.

  --vkey <vkey>                 The log's verifier key (pin it from GET /api/v1/transparency-log/sth)
  --witness <vkey>              A witness's cosigner key (repeatable); --quorum <k> of them must cosign
  --url <server>                Fetch what is missing from this Countersign server
  --checkpoint <file>           A checkpoint (signed note) to verify
  --proof <file>                A tlog-proof@v1 file (GET /api/v1/transparency-log/decisions/{id})
  --event <file>                The event JSON whose leaf must be in the log
  --salt <base64>               The salt of the event's leaf commitment (the bundle entry's salt)
  --index <n>                   With --url: fetch the inclusion proof of leaf n
  --old-checkpoint <file>       A saved earlier checkpoint: the newer one must be consistent with it
  --consistency-proof <file>    Offline: the consistency proof (base64 hashes, one per line)
  --save-checkpoint <file>      Save the verified checkpoint for next time
  -h, --help                    Show this help`,
  async run({ io, values }) {
    const argv: string[] = [];
    for (const k of ONE) if (typeof values[k] === "string") argv.push(`--${k}`, values[k] as string);
    for (const w of (values.witness as unknown as string[] | undefined) ?? []) argv.push("--witness", w);
    const { verifyLog } = (await import(VERIFIER)) as { verifyLog: VerifyLog };
    const r = await verifyLog(argv, {
      fetch: io.fetch ?? fetch,
      readFile: (p) => io.readFile(p),
      writeFile: (p, d) => io.writeFile(p, d, { mode: 0o644 }),
    });
    (r.ok ? io.stdout : io.stderr).write(`${r.ok ? "OK" : "FAIL"}: ${r.reason}\n`);
    return r.ok ? EXIT.ok : EXIT.error;
  },
};
