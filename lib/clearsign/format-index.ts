import { parseAbiItem, toFunctionSelector, type AbiFunction, type Hex } from "viem";
import { DescriptorError } from "./errors";
import type { Descriptor, FormatSpec } from "./types";

/** A display format bound to the function it describes. */
export interface BoundFormat {
  key: string;
  selector: Hex;
  fn: AbiFunction;
  format: FormatSpec;
}

const SELECTOR = /^0x[0-9a-fA-F]{8}$/;
const cache = new WeakMap<Descriptor, Map<Hex, BoundFormat>>();

function abiFunctions(descriptor: Descriptor): AbiFunction[] {
  const abi = descriptor.context?.contract?.abi;
  if (!Array.isArray(abi)) return [];
  // A v1 ABI is JSON from the descriptor; its function entries have the shape viem expects.
  return abi.filter((item) => typeof item === "object" && item !== null && !Array.isArray(item) && item.type === "function") as unknown as AbiFunction[];
}

function parseKey(key: string): AbiFunction | undefined {
  if (!key.includes("(")) return undefined;
  try {
    const item = parseAbiItem(`function ${key}`);
    return item.type === "function" ? item : undefined;
  } catch (cause) {
    throw new DescriptorError(`display.formats key "${key}" is not a valid function signature`, { cause });
  }
}

/**
 * Maps each `display.formats` key to its selector. Keys are full signatures with parameter names (v2),
 * or, with a v1 `context.contract.abi`, a selector, a bare function name or a signature without names.
 */
export function indexFormats(descriptor: Descriptor): Map<Hex, BoundFormat> {
  const cached = cache.get(descriptor);
  if (cached) return cached;
  const abi = abiFunctions(descriptor);
  const abiBySelector = new Map(abi.map((fn) => [toFunctionSelector(fn), fn]));
  const index = new Map<Hex, BoundFormat>();
  for (const [key, format] of Object.entries(descriptor.display?.formats ?? {})) {
    let fn: AbiFunction | undefined;
    let selector: Hex;
    if (SELECTOR.test(key)) {
      selector = key.toLowerCase() as Hex;
      fn = abiBySelector.get(selector);
    } else {
      const parsed = parseKey(key);
      if (parsed) {
        selector = toFunctionSelector(parsed);
        const named = parsed.inputs.every((input) => input.name);
        fn = named ? parsed : (abiBySelector.get(selector) ?? parsed);
      } else {
        const byName = abi.filter((f) => f.name === key);
        if (byName.length !== 1 || !byName[0]) {
          throw new DescriptorError(`display.formats key "${key}" does not identify exactly one ABI function`);
        }
        fn = byName[0];
        selector = toFunctionSelector(fn);
      }
    }
    if (!fn) throw new DescriptorError(`display.formats key "${key}" has no matching function in context.contract.abi`);
    index.set(selector, { key, selector, fn, format });
  }
  cache.set(descriptor, index);
  return index;
}
