import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listJsonFiles, loadDescriptorFile } from "@/lib/clearsign/descriptor-file";
import { DescriptorError } from "@/lib/clearsign/errors";
import { loadRegistryDirectory } from "@/lib/clearsign/registry-fs";
import { VECTORS_DIR } from "./vector-files";

const dir = mkdtempSync(join(tmpdir(), "clearsign-includes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, json: unknown): string {
  const file = join(dir, rel);
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify(json));
  return file;
}

describe("loadDescriptorFile", () => {
  it("merges chained includes relative to each file; the including file wins and fields merge by path", () => {
    write("shared/base.json", {
      metadata: { owner: "Base", constants: { a: "1", b: "2" } },
      display: {
        formats: {
          "f(uint256 x, uint256 y)": {
            intent: "Base intent",
            fields: [
              { path: "x", label: "X", format: "raw" },
              { path: "y", label: "Y" },
            ],
          },
        },
      },
    });
    write("vendor/common.json", { includes: "../shared/base.json", metadata: { constants: { b: "20" } } });
    const top = write("vendor/top.json", {
      includes: "common.json",
      context: { contract: { deployments: [{ chainId: 1, address: "0x1111111111111111111111111111111111111111" }] } },
      metadata: { owner: "Top" },
      display: { formats: { "f(uint256 x, uint256 y)": { fields: [{ path: "y", label: "Why" }, { path: "z", label: "Zed" }] } } },
    });
    const d = loadDescriptorFile(top);
    expect(d.includes).toBeUndefined();
    expect(d.metadata?.owner).toBe("Top");
    expect(d.metadata?.constants).toEqual({ a: "1", b: "20" });
    expect(d.display?.formats?.["f(uint256 x, uint256 y)"]).toEqual({
      intent: "Base intent",
      fields: [
        { path: "x", label: "X", format: "raw" },
        { path: "y", label: "Why" },
        { path: "z", label: "Zed" },
      ],
    });
  });

  it("detects include cycles and reports unreadable or invalid files", () => {
    write("cycle/a.json", { includes: "b.json" });
    write("cycle/b.json", { includes: "a.json" });
    expect(() => loadDescriptorFile(join(dir, "cycle/a.json"))).toThrow(/include cycle/);
    expect(() => loadDescriptorFile(join(dir, "missing.json"))).toThrow(DescriptorError);
    writeFileSync(join(dir, "bad.json"), "{ nope");
    expect(() => loadDescriptorFile(join(dir, "bad.json"))).toThrow(/not valid JSON/);
    write("array.json", []);
    expect(() => loadDescriptorFile(join(dir, "array.json"))).toThrow(/not a JSON object/);
  });
});

describe("loadRegistryDirectory", () => {
  it("indexes every deployed descriptor of the registry snapshot and skips include-only and tests files", () => {
    const files = listJsonFiles(join(VECTORS_DIR, "registry"));
    expect(files.some((f) => f.endsWith(".tests.json"))).toBe(false);
    const registry = loadRegistryDirectory(join(VECTORS_DIR, "registry"));
    // 26 descriptors; the 6 common-*.json include files have no deployments of their own.
    expect(registry.size).toBe(26);
    const setupToL2 = registry.findDeployed({ chainId: 1, to: "0xbd89a1ce4dde368ffab0ec35506eece0b1ffdc54" }, "0xfe51f643");
    expect(setupToL2?.id).toBe("SafeToL2Setup");
    expect(registry.findDeployed({ chainId: 1, to: "0xbd89a1ce4dde368ffab0ec35506eece0b1ffdc54" }, "0xdeadbeef")).toBeUndefined();
    expect(registry.findDeployed({ chainId: 2, to: "0xbd89a1ce4dde368ffab0ec35506eece0b1ffdc54" }, "0xfe51f643")).toBeUndefined();
  });
});
