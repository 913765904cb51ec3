import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createPublicClient, http, parseEther, type Address } from "viem";
import { canonicalSafeAddresses } from "@/lib/safe/deploy";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Resolves with the tool's output once `marker` appears; rejects if the tool exits first. */
function waitForOutput(child: ChildProcess, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(marker)) resolve(output);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`tools/devnet.ts exited with ${code} before "${marker}":\n${output}`)));
  });
}

describe("tools/devnet.ts", () => {
  let tool: ChildProcess | undefined;

  afterAll(async () => {
    // SIGTERM, not SIGKILL: the tool must get the chance to stop its anvil.
    if (tool && tool.exitCode === null && tool.signalCode === null) {
      const exited = new Promise((resolve) => tool!.once("exit", resolve));
      tool.kill("SIGTERM");
      await exited;
    }
  });

  it("serves a devnet with Safe contracts, prints the dev account, and stops on SIGTERM", async () => {
    tool = spawn(process.execPath, ["--import", "tsx", "tools/devnet.ts", "--port", "0"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = await waitForOutput(tool, "Press Ctrl+C to stop.");

    const rpcUrl = /RPC URL\s+(\S+)/.exec(output)?.[1];
    expect(rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output).toMatch(/Chain ID\s+31337/);
    expect(output).toContain("DEV ONLY");
    const address = /Address\s+(0x[0-9a-fA-F]{40})/.exec(output)?.[1] as Address;
    expect(address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(output).toContain("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    const client = createPublicClient({ transport: http(rpcUrl) });
    // 10,000 ETH at genesis, less the gas it paid to deploy the Safe contracts
    const balance = await client.getBalance({ address });
    expect(balance).toBeLessThan(parseEther("10000"));
    expect(balance).toBeGreaterThan(parseEther("9999"));
    for (const [name, contract] of Object.entries(canonicalSafeAddresses())) {
      expect(output).toContain(`${name.padEnd(30)} ${contract}`);
      expect((await client.getCode({ address: contract }))?.length ?? 0).toBeGreaterThan(2);
    }

    const exited = new Promise<number | null>((resolve) => tool!.once("exit", (code) => resolve(code)));
    tool.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect(client.getChainId()).rejects.toThrow();
  });
});
