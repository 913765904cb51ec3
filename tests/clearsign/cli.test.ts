import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runClearsignCli } from "@/lib/clearsign/cli";
import { loadVectorFiles, VECTORS_DIR } from "./vector-files";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(join(tmpdir(), "clearsign-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const oneInch = loadVectorFiles().find((f) => f.name.endsWith("calldata-AggregationRouterV6.tests.json"));
const permitAndCall = oneInch?.tests.find((t) => t.description.includes("permitAndCall"));
if (!oneInch || !permitAndCall?.from) throw new Error("the 1inch V6 permitAndCall vector is missing from the fixtures");
const providerFile = join(work, "data-provider.json");
writeFileSync(providerFile, JSON.stringify(oneInch.dataProvider));
const vectorArgs = [
  "--descriptor", oneInch.descriptorPath,
  "--tx", permitAndCall.rawTx,
  "--from", permitAndCall.from,
  "--data-provider", providerFile,
  "--registry", join(VECTORS_DIR, "registry"),
];

describe("clearsign CLI", () => {
  it("renders a registry vector (nested call, sender, data provider) as a subprocess", async () => {
    const { stdout } = await promisify(execFile)("npx", ["tsx", "tools/clearsign.ts", ...vectorArgs], { cwd: repoRoot });
    expect(JSON.parse(stdout)).toStrictEqual(permitAndCall.expected);
  });

  it("prints usage and exits 2 on missing or unknown arguments", async () => {
    const missing = await runClearsignCli(["--tx", "0x00"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--descriptor and --tx are required/);
    const unknown = await runClearsignCli(["--descriptr", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/usage:/);
    const badFrom = await runClearsignCli([...vectorArgs.slice(0, 4), "--from", "0x1234"]);
    expect(badFrom.code).toBe(2);
    const help = await runClearsignCli(["--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/--data-provider/);
  });

  it("exits 1 with a clear message on unreadable, invalid or mismatched input", async () => {
    const noFile = await runClearsignCli(["--descriptor", join(work, "absent.json"), "--tx", permitAndCall.rawTx]);
    expect(noFile).toMatchObject({ code: 1, stdout: "" });
    expect(noFile.stderr).toMatch(/cannot read .*absent\.json/);

    const badTx = await runClearsignCli(["--descriptor", oneInch.descriptorPath, "--tx", "0xzz"]);
    expect(badTx.code).toBe(1);
    expect(badTx.stderr).toMatch(/raw transaction must be 0x-prefixed hex/);

    const badProvider = join(work, "bad-provider.json");
    writeFileSync(badProvider, JSON.stringify({ tokens: { "0x12": { symbol: "X", decimals: 1 } } }));
    const invalidProvider = await runClearsignCli([...vectorArgs.slice(0, 6), "--data-provider", badProvider]);
    expect(invalidProvider.code).toBe(1);
    expect(invalidProvider.stderr).toMatch(/invalid data provider/);

    const weth = join(VECTORS_DIR, "registry", "weth", "calldata-weth.json");
    const wrongContract = await runClearsignCli(["--descriptor", weth, "--tx", permitAndCall.rawTx]);
    expect(wrongContract.code).toBe(1);
    expect(wrongContract.stderr).toMatch(/not deployed at/);
  });

  it("needs --from when a displayed field reads @.from", async () => {
    const ethUnoswap = oneInch.tests.find((t) => t.description === "1inch: AggregationRouterV6: ethUnoswap");
    if (!ethUnoswap) throw new Error("the 1inch V6 ethUnoswap vector is missing from the fixtures");
    const withoutFrom = await runClearsignCli(["--descriptor", oneInch.descriptorPath, "--tx", ethUnoswap.rawTx]);
    expect(withoutFrom.code).toBe(1);
    expect(withoutFrom.stderr).toMatch(/@\.from is needed/);
    const withFrom = await runClearsignCli(["--descriptor", oneInch.descriptorPath, "--tx", ethUnoswap.rawTx, "--from", ethUnoswap.from ?? ""]);
    expect(withFrom.code).toBe(0);
    expect(JSON.parse(withFrom.stdout)).toStrictEqual(ethUnoswap.expected);
  });
});
