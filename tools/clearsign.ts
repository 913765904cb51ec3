// Renders a raw transaction with an ERC-7730 descriptor: npm run clearsign -- --help
import { runClearsignCli } from "@/lib/clearsign/cli";

const result = await runClearsignCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;
