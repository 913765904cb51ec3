/** `countersign join`: everything that can fail locally fails before the one-time invitation is used. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CliError } from "@/lib/sdk/cli/errors";
import { encodeInvitation, generateE2eKeyPair, generatePin } from "@/lib/signing/e2e";
import { cli, removeTempHomes, tempHome } from "./cli-harness";

afterAll(removeTempHomes);

const invitation = encodeInvitation({
  baseUrl: "http://127.0.0.1:9",
  ceremonyId: "0b6f7a52-3c1e-4f7e-9a55-2a9d8c7b6e10",
  token: `csi_${"a".repeat(12)}_${"b".repeat(43)}`,
  userKey: generateE2eKeyPair().publicKey,
  pin: generatePin(),
});

function countingFetch() {
  const calls: string[] = [];
  const fetchFn: typeof fetch = async (input) => {
    calls.push(String(input));
    return new Response(JSON.stringify({ statusCode: 409, message: "This invitation was already used: an agent has joined this key generation" }), { status: 409, headers: { "content-type": "application/json" } });
  };
  return { calls, fetch: fetchFn };
}

describe("countersign join", () => {
  it("is listed in the usage and has its own help", async () => {
    const home = await tempHome();
    const run = cli(home);
    expect((await run("--help")).stdout).toMatch(/join\s+Run the agent's party/);
    const help = await run("join", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("countersign join <invitation>");
  });

  it("exits 2 on a malformed invitation without calling the server", async () => {
    const home = await tempHome();
    const f = countingFetch();
    const r = await cli(home, { fetch: f.fetch })("join", "not-an-invitation");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cs-join:v1:/);
    expect((await cli(home, { fetch: f.fetch })("join", `${invitation.slice(0, 20)}!!`)).code).toBe(2);
    expect(f.calls).toEqual([]);
  });

  it("refuses to overwrite an existing share file without --force, and needs a passphrase, before using the invitation", async () => {
    const home = await tempHome();
    const f = countingFetch();
    const path = join(home, "share.json");
    await writeFile(path, "{}");
    const occupied = await cli(home, { fetch: f.fetch })("join", invitation, "--share", path);
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toMatch(/already holds .*--force/);
    const noPassphrase = await cli(home, { fetch: f.fetch, env: { COUNTERSIGN_SHARE_PASSPHRASE: undefined }, prompt: () => Promise.reject(new CliError("No passphrase: set COUNTERSIGN_SHARE_PASSPHRASE or run countersign in a terminal")) })(
      "join",
      invitation,
      "--share",
      join(home, "other.json"),
    );
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toMatch(/No passphrase/);
    let asked = 0;
    const mismatch = await cli(home, { fetch: f.fetch, env: { COUNTERSIGN_SHARE_PASSPHRASE: undefined }, prompt: async () => `typed ${++asked}` })("join", invitation, "--share", join(home, "other.json"));
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/passphrases differ/);
    expect(f.calls).toEqual([]);
    // With --force it goes to the server (which answers 409 here): exit 1 with the server's reason.
    const forced = await cli(home, { fetch: f.fetch })("join", invitation, "--share", path, "--force");
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/Server error 409: This invitation was already used/);
    expect(f.calls).toEqual(["http://127.0.0.1:9/api/v1/dkg/join"]);
  });
});
