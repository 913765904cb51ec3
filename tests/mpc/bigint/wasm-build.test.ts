import { describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { compileKernels, OUT_TS, renderBinaryModule } from "@/wasm/build.mjs";
import { KERNELS_WASM_BASE64 } from "@/lib/mpc/bigint/wasm-binary";

describe("wasm build", () => {
  // The committed module came from an earlier compile, so equality also shows the build is
  // deterministic.
  it("the embedded kernels match a fresh compile of wasm/assembly", async () => {
    const fresh = await compileKernels();
    expect(KERNELS_WASM_BASE64).toBe(Buffer.from(fresh).toString("base64"));
    expect(await readFile(OUT_TS, "utf8")).toBe(renderBinaryModule(fresh));
  });

  // Chromium refuses synchronous compilation on the main thread above 8 MB (the MPC code runs in
  // Workers anyway); the kernels stay far below, small enough to embed in every worker bundle.
  it("is small enough to embed and compile synchronously on a browser main thread (< 16 KiB)", () => {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, "base64");
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(16384);
    expect(WebAssembly.validate(bytes)).toBe(true);
  });
});
