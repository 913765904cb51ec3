import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { AnvilBinaryNotFoundError } from "./errors";

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  linux: "linux",
  darwin: "darwin",
  win32: "win32",
};
const ARCH_NAMES: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64" };

/**
 * Absolute path of the anvil executable shipped by `@foundry-rs/anvil`'s platform package.
 * Resolved through the package graph rather than PATH so the app never picks up a stray
 * system anvil of another version.
 */
export function resolveAnvilBinary(): string {
  const platform = PLATFORM_NAMES[process.platform];
  const arch = ARCH_NAMES[process.arch];
  if (!platform || !arch) {
    throw new AnvilBinaryNotFoundError(`anvil is not packaged for ${process.platform}/${process.arch}`);
  }
  const packageName = `@foundry-rs/anvil-${platform}-${arch}`;
  const binaryName = process.platform === "win32" ? "anvil.exe" : "anvil";
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve(`${packageName}/bin/${binaryName}`);
  } catch (cause) {
    throw new AnvilBinaryNotFoundError(`${packageName} is not installed (npm skipped the optional dependency?)`, {
      cause,
    });
  }
  if (!existsSync(path)) throw new AnvilBinaryNotFoundError(`anvil binary missing at ${path}`);
  return path;
}
