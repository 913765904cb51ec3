/** The CLI against a scripted server: argument handling, import, exit codes and output formats. */
import { spawn } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptShareFile, type ShareFile } from "@/lib/sdk/share-file";
import { COMMAND_ENTRIES, loadAllCommands } from "@/lib/sdk/cli/commands";
import { CliError } from "@/lib/sdk/cli/errors";
import { cli, PASSPHRASE, removeTempHomes, tempHome } from "./cli-harness";
import { dealtAgentShare } from "./fixtures";

let home: string;
let downloaded: string;
let file: ShareFile;
let address: string;

type Seen = { method: string; url: string; apiKey: string | null; body: unknown };

/** A fake server answering fixed JSON per "METHOD path", recording every request. */
function scriptedServer(routes: Record<string, { status: number; body: unknown }>) {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const req = new Request(input as string | URL, init);
    const url = new URL(req.url);
    seen.push({ method: req.method, url: req.url, apiKey: req.headers.get("x-api-key"), body: req.method === "GET" ? undefined : await req.json() });
    const hit = routes[`${req.method} ${url.pathname}`];
    return new Response(JSON.stringify(hit?.body ?? { statusCode: 404, message: "no route" }), { status: hit?.status ?? 404, headers: { "content-type": "application/json" } });
  };
  return { seen, fetch: fetchFn };
}

beforeAll(async () => {
  home = await tempHome();
  const dealt = dealtAgentShare();
  address = dealt.address;
  file = await encryptShareFile(
    { share: dealt.share, apiKey: "cs_key_offline", signerId: "sig_offline", address, chainId: 31337, baseUrl: "http://countersign.test", profile: "fast-test" },
    PASSPHRASE,
    { scryptN: 2 ** 14 },
  );
  downloaded = join(home, "downloaded-share.json");
  await writeFile(downloaded, JSON.stringify(file));
});

afterAll(removeTempHomes);

describe("countersign CLI", () => {
  it("prints usage for --help (exit 0) and for no command (exit 2), and help for each command", async () => {
    const run = cli(home);
    const help = await run("--help");
    expect(help.code).toBe(0);
    for (const name of ["import", "status", "agent", "balance", "send", "sign-message"]) expect(help.stdout).toContain(name);
    expect((await run()).code).toBe(2);
    const sendHelp = await run("send", "--help");
    expect(sendHelp.code).toBe(0);
    expect(sendHelp.stdout).toContain("--to <address>");
    expect((await run("sign-message", "-h")).stdout).toContain("--typed-data");
    // The lazy registry dispatches by name: each entry loads the command of that name, listed once.
    const loaded = await loadAllCommands();
    expect(loaded.map((c) => c.name)).toEqual(COMMAND_ENTRIES.map((e) => e.name));
    expect(new Set(loaded.map((c) => c.name)).size).toBe(loaded.length);
    for (const c of loaded) expect(help.stdout).toContain(`  ${c.name}`);
  });

  it("exits 2 on usage errors without touching the share or the server", async () => {
    const server = scriptedServer({});
    const run = cli(home, { fetch: server.fetch });
    const cases: string[][] = [
      ["frobnicate"],
      ["send", "--value", "0.1"],
      ["send", "--to", "0x1234", "--value", "0.1"],
      ["send", "--to", "0x000000000000000000000000000000000000bEEF", "--value", "abc"],
      ["send", "--to", "0x000000000000000000000000000000000000bEEF", "--value", "0.0000000000000000001"],
      ["send", "--to", "0x000000000000000000000000000000000000bEEF", "--data", "0xabc"],
      ["send", "--to", "0x000000000000000000000000000000000000bEEF", "--passphrase", "secret"],
      ["status", "extra"],
      ["status", "--base-url", "not a url"],
      ["sign-message"],
      ["sign-message", "hi", "--typed-data", "x.json"],
      ["import"],
    ];
    for (const argv of cases) {
      const r = await run(...argv);
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(/--help/);
    }
    expect(server.seen).toEqual([]);
  });

  it("imports a share file after checking its passphrase, storing it with mode 0600", async () => {
    const r = await cli(home)("import", downloaded);
    expect(r.code).toBe(0);
    const stored = join(home, ".config", "countersign", "share.json");
    expect(r.stdout).toContain("sig_offline");
    expect(r.stdout).toContain(stored);
    expect((await stat(stored)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(stored, "utf8"))).toEqual(file);
  });

  it("re-imports the same signer freely but replaces a different signer's share only with --force", async () => {
    const stored = join(home, ".config", "countersign", "share.json");
    const run = cli(home);
    expect((await run("import", downloaded)).code).toBe(0);
    const dealt = dealtAgentShare();
    const other = await encryptShareFile(
      { share: dealt.share, apiKey: "cs_key_other", signerId: "sig_other", address: dealt.address, chainId: 31337, baseUrl: "http://countersign.test", profile: "fast-test" },
      PASSPHRASE,
      { scryptN: 2 ** 14 },
    );
    const otherPath = join(home, "other-share.json");
    await writeFile(otherPath, JSON.stringify(other));
    const refused = await run("import", otherPath);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("already holds signer sig_offline");
    expect(JSON.parse(await readFile(stored, "utf8")).signerId).toBe("sig_offline");
    expect((await run("import", otherPath, "--force")).code).toBe(0);
    expect(JSON.parse(await readFile(stored, "utf8")).signerId).toBe("sig_other");
    expect((await run("import", downloaded, "--force", "--json")).code).toBe(0);
    expect(JSON.parse(await readFile(stored, "utf8"))).toEqual(file);
  });

  it("refuses to import with a wrong passphrase and writes nothing", async () => {
    const target = join(home, "never.json");
    const r = await cli(home, { env: { COUNTERSIGN_SHARE_PASSPHRASE: "wrong" } })("import", downloaded, "--share", target);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Wrong passphrase/);
    await expect(stat(target)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("asks for the passphrase on the terminal when the environment has none, and fails cleanly without one", async () => {
    const server = scriptedServer({ "GET /api/v1/signer": { status: 200, body: { signer: { id: "sig_offline", name: "Bot", status: "active", chainId: 31337, address } } } });
    const questions: string[] = [];
    const prompted = await cli(home, { fetch: server.fetch, env: { COUNTERSIGN_SHARE_PASSPHRASE: undefined }, prompt: async (q) => (questions.push(q), PASSPHRASE) })("status");
    expect(prompted.code).toBe(0);
    expect(questions).toHaveLength(1);
    const noTty = await cli(home, { fetch: server.fetch, env: { COUNTERSIGN_SHARE_PASSPHRASE: undefined }, prompt: () => Promise.reject(new CliError("No passphrase: set COUNTERSIGN_SHARE_PASSPHRASE")) })("status");
    expect(noTty.code).toBe(1);
    expect(noTty.stderr).toContain("COUNTERSIGN_SHARE_PASSPHRASE");
  });

  it("prints status from the server with the file's API key, as text or JSON, and honours --base-url", async () => {
    const signer = { id: "sig_offline", name: "Treasury bot", status: "active", chainId: 31337, address };
    const server = scriptedServer({ "GET /api/v1/signer": { status: 200, body: { signer } } });
    const run = cli(home, { fetch: server.fetch });
    const text = await run("status");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Signer\s+sig_offline/);
    expect(text.stdout).toMatch(/Name\s+Treasury bot/);
    expect(text.stdout).toMatch(/Status\s+active/);
    expect(text.stdout).toMatch(/Chain\s+31337/);
    expect(text.stdout).toContain(address);
    const json = await run("status", "--json", "--base-url", "http://other.test:8080");
    expect(JSON.parse(json.stdout)).toEqual(signer);
    expect(server.seen.map((s) => [s.url, s.apiKey])).toEqual([
      ["http://countersign.test/api/v1/signer", "cs_key_offline"],
      ["http://other.test:8080/api/v1/signer", "cs_key_offline"],
    ]);
  });

  it("shows the signer's agent (countersign agent), as text or JSON", async () => {
    const agent = { id: "0b7c0e9a-3f7e-4a53-9d0e-5b1c2a3d4e5f", name: "Treasury agent", description: null, status: "paused", pausedAt: "2026-12-06T12:00:00.000Z", identifiers: { signetSid: "SID-0x0123456789abcdef", aegisAgentId: "treasury", onchain: null, agentAddress: null, turnkeyWalletId: null } };
    const server = scriptedServer({ "GET /api/v1/signer": { status: 200, body: { signer: { id: "sig_offline", name: "Treasury bot", status: "active", chainId: 31337, address, agentId: agent.id }, agent } } });
    const run = cli(home, { fetch: server.fetch });
    const text = await run("agent");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Name\s+Treasury agent/);
    expect(text.stdout).toMatch(/Status\s+paused \(since 2026-12-06T12:00:00.000Z; signing is refused\)/);
    expect(text.stdout).toMatch(/Signet\s+SID-0x0123456789abcdef/);
    expect(text.stdout).toMatch(/AEGIS\s+treasury/);
    expect(text.stdout).not.toMatch(/On-chain/);
    expect(JSON.parse((await run("agent", "--json")).stdout)).toEqual(agent);
    // status --json keeps its fields
    expect(JSON.parse((await run("status", "--json")).stdout)).toEqual({ id: "sig_offline", name: "Treasury bot", status: "active", chainId: 31337, address });
    const old = scriptedServer({ "GET /api/v1/signer": { status: 200, body: { signer: { id: "sig_offline", name: "Bot", status: "active", chainId: 31337, address } } } });
    expect((await cli(home, { fetch: old.fetch })("agent")).stdout).toMatch(/belongs to no agent/);
  });

  it("prints the balance endpoint's answer", async () => {
    const body = { address, chainId: 31337, balance: "1500000000000000000", formatted: "1.5", symbol: "ETH" };
    const server = scriptedServer({ "GET /api/v1/signer/balance": { status: 200, body } });
    const run = cli(home, { fetch: server.fetch });
    const text = await run("balance");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("1.5 ETH");
    expect(JSON.parse((await run("balance", "--json")).stdout)).toEqual(body);
  });

  it("exits 3 and prints each violation when the server refuses to sign", async () => {
    const refusal = {
      statusCode: 403,
      message: "Transaction violates policy",
      violations: [
        { policyId: "p1", type: "spending_limit", message: "Exceeds the daily limit of 1 ETH" },
        { policyId: "p2", type: "allowlist", message: "Recipient is not on the allowlist" },
      ],
    };
    const server = scriptedServer({ "POST /api/v1/sign/session": { status: 403, body: refusal } });
    const r = await cli(home, { fetch: server.fetch })("send", "--to", "0x000000000000000000000000000000000000bEEF", "--value", "5", "--data", "0xABCD");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Transaction violates policy");
    expect(r.stderr).toContain("spending_limit: Exceeds the daily limit of 1 ETH");
    expect(r.stderr).toContain("allowlist: Recipient is not on the allowlist");
    const sent = server.seen[0]!.body as { transaction: { to: string; value: string; data: string } };
    expect(sent.transaction).toMatchObject({ to: "0x000000000000000000000000000000000000bEEF", value: "5000000000000000000", data: "0xabcd" });
  });

  it("exits 1 on other server errors, including a 403 outside signing", async () => {
    const server = scriptedServer({
      "GET /api/v1/signer": { status: 401, body: { statusCode: 401, message: "Invalid API key" } },
      "GET /api/v1/signer/balance": { status: 403, body: { statusCode: 403, message: "Missing permission" } },
    });
    const run = cli(home, { fetch: server.fetch });
    const status = await run("status");
    expect(status.code).toBe(1);
    expect(status.stderr).toContain("Invalid API key");
    const balance = await run("balance");
    expect(balance.code).toBe(1);
    expect(balance.stderr).toContain("Server error 403: Missing permission");
  });

  it("fails with a clear message when no share was imported", async () => {
    const r = await cli(await tempHome())("status");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No share file at .*share\.json.*countersign import/);
  });

  it("runs as a real process through bin/countersign.mjs: reads the file, takes the passphrase from the environment, calls the server", async () => {
    const requests: { url: string | undefined; apiKey: string | string[] | undefined }[] = [];
    const server: Server = createServer((req, res) => {
      requests.push({ url: req.url, apiKey: req.headers["x-api-key"] });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ signer: { id: "sig_offline", name: "Bot", status: "active", chainId: 31337, address } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bin = fileURLToPath(new URL("../../bin/countersign.mjs", import.meta.url));
    const runBin = (passphrase: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, "status", "--json", "--share", downloaded, "--base-url", baseUrl], {
          cwd: "/tmp",
          env: { ...process.env, HOME: home, COUNTERSIGN_SHARE_PASSPHRASE: passphrase },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const ok = await runBin(PASSPHRASE);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ id: "sig_offline", address });
      const wrong = await runBin("not the passphrase");
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain("Wrong passphrase");
      expect(requests).toEqual([{ url: "/api/v1/signer", apiKey: "cs_key_offline" }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("loads a command's own modules only: `join` starts without viem or the MCP server, the full usage loads them all", async () => {
    const bin = fileURLToPath(new URL("../../bin/countersign.mjs", import.meta.url));
    const hook = new URL("../fixtures/module-log-hook.mjs", import.meta.url).href;
    const modulesOf = (...args: string[]) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", `data:text/javascript,import{register}from"node:module";register(${JSON.stringify(hook)})`, bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => (code === 0 ? resolve(stderr.split("\n").filter((l) => l.startsWith("module: "))) : reject(new Error(`exit ${code}: ${stderr.slice(-2000)}`))));
      });
    const join = await modulesOf("join", "--help");
    expect(join.some((m) => m.includes("/lib/mpc/"))).toBe(true); // the hook sees what the join needs…
    expect(join.filter((m) => /node_modules\/(viem|ox|@modelcontextprotocol|zod)\//.test(m))).toEqual([]); // …and nothing else
    const all = await modulesOf("--help");
    expect(all.some((m) => m.includes("node_modules/viem/"))).toBe(true);
    expect(all.length).toBeGreaterThan(3 * join.length);
  });
});
