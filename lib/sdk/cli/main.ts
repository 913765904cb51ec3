/** Node entry of the `countersign` CLI (started by bin/countersign.mjs). */
import { nodeIo } from "./node-io";
import { runCli } from "./run";

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
