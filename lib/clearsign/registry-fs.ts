import { basename } from "node:path";
import { listJsonFiles, loadDescriptorFile } from "./descriptor-file";
import { DescriptorRegistry, type DescriptorSource, type RegistryEntry } from "./registry";

/**
 * Loads every descriptor under `dir` that is bound to deployments (include-only files such as
 * `common-*.json` or generic ERC files have none and are skipped; tests files are ignored).
 */
export function loadRegistryDirectory(dir: string, source: DescriptorSource = "registry"): DescriptorRegistry {
  const entries: RegistryEntry[] = [];
  for (const file of listJsonFiles(dir)) {
    const raw = loadDescriptorFile(file);
    if ((raw.context?.contract?.deployments ?? []).length === 0) continue;
    entries.push({ id: raw.context?.$id ?? basename(file, ".json"), descriptor: raw });
  }
  return new DescriptorRegistry(source, entries);
}
