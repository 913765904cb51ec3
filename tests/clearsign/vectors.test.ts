import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StaticDataProvider } from "@/lib/clearsign/data-provider";
import { loadDescriptorFile } from "@/lib/clearsign/descriptor-file";
import { renderRawTransaction } from "@/lib/clearsign/engine";
import { loadRegistryDirectory } from "@/lib/clearsign/registry-fs";
import { VECTORS_DIR, loadVectorFiles } from "./vector-files";

const files = loadVectorFiles();
const lookup = loadRegistryDirectory(join(VECTORS_DIR, "registry"));

describe("ERC-7730 registry vectors", () => {
  it("discovers every tests file and vector of the registry snapshot", () => {
    expect(files.length).toBe(25);
    expect(files.reduce((n, f) => n + f.tests.length, 0)).toBe(84);
  });

  describe.each(files.map((f) => [f.name, f] as const))("%s", (_name, file) => {
    const descriptor = loadDescriptorFile(file.descriptorPath);
    const provider = new StaticDataProvider(file.dataProvider);

    it.each(file.tests.map((t) => [t.description, t] as const))("%s", async (_description, vector) => {
      const rendered = await renderRawTransaction(descriptor, vector.rawTx, { from: vector.from, provider, lookup });
      // Round-trip through JSON so optional keys that are absent compare exactly like the vector file.
      expect(JSON.parse(JSON.stringify(rendered))).toStrictEqual(vector.expected);
    });
  });
});
