/** `countersign identity sign`: headers the verifier accepts, for EVM and Ed25519 keys, and --send. */
import { afterAll, describe, expect, it } from "vitest";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import { checkSignature } from "@/lib/identity/verify-request";
import { signedPath } from "@/lib/identity/sign";
import { cli, removeTempHomes, tempHome } from "../sdk/cli-harness";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const URL_ = "https://service.example/api/demo/verify?x=1";

afterAll(removeTempHomes);

describe("countersign identity sign", () => {
  it("prints JSON headers that verify for the exact method, path and body", async () => {
    const run = cli(await tempHome(), { env: { COUNTERSIGN_IDENTITY_KEY: KEY } });
    const r = await run("identity", "sign", URL_, "-d", '{"a":1}', "--json");
    expect(r.code).toBe(0);
    const headers = JSON.parse(r.stdout) as Record<string, string>;
    expect(headers["x-self-agent-address"]).toBe(privateKeyToAccount(KEY).address);
    const facts = await checkSignature(new Headers(headers), { method: "POST", path: "/api/demo/verify?x=1", body: '{"a":1}' }, Number(headers["x-self-agent-timestamp"]));
    expect(facts.keyType).toBe("secp256k1");
    await expect(checkSignature(new Headers(headers), { method: "POST", path: "/api/demo/verify?x=1", body: '{"a":2}' }, Date.now())).rejects.toThrow("Invalid agent signature");
  });

  it("curl -H output by default; an Ed25519 key from a file", async () => {
    const home = await tempHome();
    const file = join(home, "ed.key");
    await writeFile(file, `0x${"07".repeat(32)}\n`);
    const r = await cli(home)("identity", "sign", URL_, "--key-file", file, "--ed25519");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-H 'x-self-agent-address: 0x[0-9a-fA-F]{40}' -H 'x-self-agent-signature: 0x[0-9a-f]{128}' -H 'x-self-agent-timestamp: \d+' -H 'x-self-agent-keytype: ed25519' -H 'x-self-agent-key: 0x[0-9a-f]{64}'\n$/);
    const headers = new Headers([...r.stdout.matchAll(/-H '([^:]+): ([^']+)'/g)].map((m) => [m[1]!, m[2]!] as [string, string]));
    expect((await checkSignature(headers, { method: "GET", path: "/api/demo/verify?x=1", body: "" }, Number(headers.get("x-self-agent-timestamp")))).keyType).toBe("ed25519");
  });

  it("--send makes the signed request and prints the answer", async () => {
    const seen: string[] = [];
    const fetchStub: typeof fetch = async (input, init) => {
      const req = new Request(input as string, init);
      const facts = await checkSignature(req.headers, { method: req.method, path: signedPath(req.url), body: await req.text() }, Date.now());
      seen.push(`${req.method} ${req.headers.get("content-type")} ${facts.address}`);
      return new Response('{"ok":true}', { status: 200 });
    };
    const r = await cli(await tempHome(), { env: { COUNTERSIGN_IDENTITY_KEY: KEY }, fetch: fetchStub })("identity", "sign", URL_, "-X", "put", "-d", "{}", "--send");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('200\n{"ok":true}\n');
    expect(seen).toEqual([`PUT application/json ${privateKeyToAccount(KEY).address}`]);
  });

  it("usage errors: no key, a bad key, an unknown subcommand, a bad URL", async () => {
    const home = await tempHome();
    expect((await cli(home)("identity", "sign", URL_)).code).toBe(2);
    expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: "0x12" } })("identity", "sign", URL_)).stderr).toContain("32 bytes");
    expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: KEY } })("identity", "verify", URL_)).code).toBe(2);
    expect((await cli(home, { env: { COUNTERSIGN_IDENTITY_KEY: KEY } })("identity", "sign", "ftp://x")).code).toBe(2);
  });
});
