import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync, statSync } from "node:fs";
import type { DataProviderFile } from "@/lib/clearsign/data-provider";
import type { RenderedOutput } from "@/lib/clearsign/types";

/**
 * The public ERC-7730 registry's descriptors and test vectors, copied byte-for-byte into
 * tests/clearsign/fixtures/erc7730 (CC0, see its README). CLEARSIGN_VECTORS_DIR points elsewhere,
 * e.g. at /work/shared/erc7730.
 */
export const VECTORS_DIR = process.env.CLEARSIGN_VECTORS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "fixtures", "erc7730");

export interface VectorCase {
  description: string;
  rawTx: string;
  from?: string;
  expected: RenderedOutput;
}

export interface VectorFile {
  file: string;
  name: string;
  descriptorPath: string;
  dataProvider: DataProviderFile;
  tests: VectorCase[];
}

function findTestsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTestsFiles(full));
    else if (entry.endsWith(".tests.json")) out.push(full);
  }
  return out;
}

export function loadVectorFiles(root: string = VECTORS_DIR): VectorFile[] {
  return findTestsFiles(root).map((file) => {
    const json = JSON.parse(readFileSync(file, "utf8")) as {
      descriptor: string;
      dataProvider?: DataProviderFile;
      tests: VectorCase[];
    };
    return {
      file,
      name: relative(root, file),
      descriptorPath: join(dirname(file), json.descriptor),
      dataProvider: json.dataProvider ?? {},
      tests: json.tests,
    };
  });
}

