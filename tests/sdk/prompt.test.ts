/** The hidden passphrase prompt against a scripted terminal. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliError, EXIT } from "@/lib/sdk/cli/errors";
import { promptHidden } from "@/lib/sdk/cli/prompt";

function fakeTerminal(isTTY: boolean) {
  const input = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode(mode: boolean): unknown };
  const rawModes: boolean[] = [];
  input.isTTY = isTTY;
  input.setRawMode = (mode: boolean) => rawModes.push(mode);
  let written = "";
  const output = { write: (t: string) => ((written += t), true) };
  return { input, output, rawModes, written: () => written };
}

const ask = (t: ReturnType<typeof fakeTerminal>) => promptHidden("Passphrase: ", t.input as unknown as NodeJS.ReadStream, t.output as unknown as NodeJS.WriteStream);

describe("promptHidden", () => {
  it("reads a line in raw mode without echoing it, handling backspace", async () => {
    const t = fakeTerminal(true);
    const answer = ask(t);
    t.input.write("sec\u007fret pass");
    t.input.write("\r");
    expect(await answer).toBe("seret pass");
    expect(t.rawModes).toEqual([true, false]);
    expect(t.written()).toBe("Passphrase: \n");
  });

  it("turns Ctrl-C into a cancellation with exit code 130", async () => {
    const t = fakeTerminal(true);
    const answer = ask(t);
    t.input.write("abc\u0003");
    const err = await answer.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.interrupted);
    expect(t.rawModes).toEqual([true, false]);
  });

  it("refuses to prompt without a terminal", async () => {
    const t = fakeTerminal(false);
    await expect(ask(t)).rejects.toThrow(/COUNTERSIGN_SHARE_PASSPHRASE/);
    expect(t.rawModes).toEqual([]);
  });
});
