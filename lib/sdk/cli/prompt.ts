import { CliError, EXIT } from "./errors";

type TtyInput = NodeJS.ReadStream;

/** Reads one line from a terminal in raw mode, echoing nothing. */
export function promptHidden(question: string, input: TtyInput = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) {
    return Promise.reject(new CliError("No passphrase: set COUNTERSIGN_SHARE_PASSPHRASE or run countersign in a terminal"));
  }
  output.write(question);
  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  return new Promise((resolve, reject) => {
    let chars: string[] = [];
    const finish = () => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      output.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          finish();
          resolve(chars.join(""));
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("Cancelled", EXIT.interrupted));
          return;
        }
        if (ch === "\u007f" || ch === "\b") chars = chars.slice(0, -1);
        else chars.push(ch);
      }
    };
    input.on("data", onData);
  });
}
