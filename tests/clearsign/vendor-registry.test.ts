import Ajv2020 from "ajv/dist/2020";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress, isAddress } from "viem";
import { describe, expect, it } from "vitest";
import { indexFormats } from "@/lib/clearsign/format-index";
import type { Descriptor } from "@/lib/clearsign/types";
import { vendorRegistry } from "@/lib/clearsign/vendor-registry";
import { VECTORS_DIR } from "./vector-files";

const registryDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "lib", "clearsign", "registry");
const files = readdirSync(registryDir).filter((f) => f.endsWith(".json")).sort();

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(VECTORS_DIR, "specs", "erc7730-v2.schema.json"), "utf8")) as object);

describe("vendor descriptor registry", () => {
  it("ships ERC-20, WETH and Safe owner-management descriptors", () => {
    expect(files).toEqual(["erc20.json", "safe-owners.json", "weth.json"]);
    expect(vendorRegistry().size).toBe(3);
    expect(vendorRegistry().source).toBe("vendor");
  });

  it.each(files)("%s validates against the ERC-7730 v2 schema, with checksummed deployments and parseable keys", (file) => {
    const json = JSON.parse(readFileSync(join(registryDir, file), "utf8")) as Descriptor;
    const valid = validate(json);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    for (const d of json.context?.contract?.deployments ?? []) {
      expect(isAddress(d.address, { strict: true })).toBe(true);
      expect(d.address).toBe(getAddress(d.address));
    }
    expect(indexFormats(json).size).toBe(Object.keys(json.display?.formats ?? {}).length);
  });
});
