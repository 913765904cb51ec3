import { bytesToHex, getAddress, hexToBytes, stringToBytes, toHex, type AbiParameter, type Hex } from "viem";
import { PathError } from "./errors";
import { pathKey, type ParsedPath, type PathStep } from "./path";
import type { JsonValue } from "./types";

/**
 * Decoded call arguments as a typed tree, so paths can walk tuples and arrays and slices know each
 * leaf's Solidity type.
 */
export interface LeafNode {
  kind: "leaf";
  /** Solidity type; `bytes` for the result of a byte slice. */
  type: string;
  /** bigint for (u)int, boolean for bool, checksummed address, lower-case hex for bytes, text for string. */
  value: bigint | boolean | string;
}

export interface TupleNode {
  kind: "tuple";
  type: string;
  names: string[];
  items: DataNode[];
}

export interface ArrayNode {
  kind: "array";
  type: string;
  items: DataNode[];
}

/** A value taken from the descriptor itself through a `$.` path or a literal `value`. */
export interface ConstantNode {
  kind: "constant";
  value: JsonValue;
}

export type DataNode = LeafNode | TupleNode | ArrayNode;
export type ValueNode = DataNode | ConstantNode;

const ARRAY_SUFFIX = /\[(\d*)\]$/;

export function buildNode(param: AbiParameter, value: unknown): DataNode {
  const arrayMatch = ARRAY_SUFFIX.exec(param.type);
  if (arrayMatch) {
    if (!Array.isArray(value)) throw new PathError(`expected an array for ${param.type}`);
    const element = { ...param, type: param.type.slice(0, arrayMatch.index) } as AbiParameter;
    return { kind: "array", type: param.type, items: value.map((v) => buildNode(element, v)) };
  }
  if (param.type === "tuple") {
    const components = "components" in param ? param.components : [];
    return buildTuple(components, value);
  }
  return { kind: "leaf", type: param.type, value: normaliseLeaf(param.type, value) };
}

export function buildTuple(components: readonly AbiParameter[], value: unknown): TupleNode {
  const names = components.map((c, i) => c.name ?? String(i));
  const items = components.map((c, i) => {
    const v = Array.isArray(value) ? value[i] : (value as Record<string, unknown>)[c.name ?? String(i)];
    return buildNode(c, v);
  });
  return { kind: "tuple", type: "tuple", names, items };
}

function normaliseLeaf(type: string, value: unknown): bigint | boolean | string {
  if (type === "address" && typeof value === "string") return getAddress(value);
  if (type === "bool" && typeof value === "boolean") return value;
  if (/^u?int\d*$/.test(type)) {
    if (typeof value === "bigint" || (typeof value === "number" && Number.isSafeInteger(value))) return BigInt(value);
    // EIP-712 messages carry large integers as decimal or hex strings.
    if (typeof value === "string" && /^(-?\d+|0x[0-9a-fA-F]+)$/.test(value)) return BigInt(value);
  }
  if (type.startsWith("bytes") && typeof value === "string") return value.toLowerCase();
  if (type === "string" && typeof value === "string") return value;
  throw new PathError(`cannot represent ${String(value)} as ${type}`);
}

/** The byte representation slices operate on: the 32-byte ABI word for static types, raw bytes otherwise. */
export function leafBytes(leaf: LeafNode): Uint8Array {
  const { type, value } = leaf;
  if (type === "string" && typeof value === "string") return stringToBytes(value);
  if (type.startsWith("bytes") && typeof value === "string") return hexToBytes(value as Hex);
  if (typeof value === "bigint") {
    const word = value < 0n ? (1n << 256n) + value : value;
    return hexToBytes(toHex(word, { size: 32 }));
  }
  if (typeof value === "boolean") return hexToBytes(toHex(value ? 1n : 0n, { size: 32 }));
  if (type === "address" && typeof value === "string") return hexToBytes(toHex(BigInt(value), { size: 32 }));
  throw new PathError(`cannot take bytes of a ${type} value`);
}

function normaliseIndex(index: number, length: number): number {
  return index < 0 ? length + index : index;
}

function sliceBounds(step: { start?: number; end?: number }, length: number): [number, number] {
  const start = Math.max(0, Math.min(length, normaliseIndex(step.start ?? 0, length)));
  const end = Math.max(start, Math.min(length, normaliseIndex(step.end ?? length, length)));
  return [start, end];
}

/** One value a path resolved to, with the array index chosen at each `[]` on the way. */
export interface DataMatch {
  node: DataNode;
  indices: Map<string, number>;
}

/**
 * Walks `path` (already absolute, root `#`) from `root`. `[]` expands to every element unless
 * `bindings` already fixes that array's index (so a parameter path iterates in step with its field).
 */
export function resolveDataPath(root: DataNode, path: ParsedPath, bindings: ReadonlyMap<string, number> = new Map()): DataMatch[] {
  let current: DataMatch[] = [{ node: root, indices: new Map(bindings) }];
  path.steps.forEach((step, i) => {
    const prefix = pathKey({ root: "#", steps: path.steps.slice(0, i) });
    current = current.flatMap((m) => applyStep(m, step, prefix, path));
  });
  return current;
}

function describe(path: ParsedPath): string {
  return pathKey(path);
}

function applyStep(match: DataMatch, step: PathStep, prefix: string, path: ParsedPath): DataMatch[] {
  const { node, indices } = match;
  switch (step.kind) {
    case "field": {
      if (node.kind !== "tuple") throw new PathError(`"${step.name}" is not a member of a ${node.type} value (path ${describe(path)})`);
      const at = node.names.indexOf(step.name);
      const child = node.items[at];
      if (at < 0 || !child) throw new PathError(`no parameter "${step.name}" (path ${describe(path)})`);
      return [{ node: child, indices }];
    }
    case "index": {
      if (node.kind === "leaf") {
        const bytes = leafBytes(node);
        const i = normaliseIndex(step.index, bytes.length);
        if (i < 0 || i >= bytes.length) throw new PathError(`byte index ${step.index} out of range (path ${describe(path)})`);
        return [{ node: { kind: "leaf", type: "bytes", value: bytesToHex(bytes.slice(i, i + 1)) }, indices }];
      }
      const i = normaliseIndex(step.index, node.items.length);
      const child = node.items[i];
      if (!child) throw new PathError(`index ${step.index} out of range for ${node.items.length} elements (path ${describe(path)})`);
      return [{ node: child, indices }];
    }
    case "all": {
      if (node.kind !== "array") throw new PathError(`"[]" applied to a non-array ${node.type} value (path ${describe(path)})`);
      const bound = indices.get(prefix);
      if (bound !== undefined) {
        const child = node.items[bound];
        if (!child) throw new PathError(`bound index ${bound} out of range (path ${describe(path)})`);
        return [{ node: child, indices }];
      }
      return node.items.map((child, i) => ({ node: child, indices: new Map([...indices, [prefix, i]]) }));
    }
    case "slice": {
      if (node.kind === "leaf") {
        const bytes = leafBytes(node);
        const [start, end] = sliceBounds(step, bytes.length);
        return [{ node: { kind: "leaf", type: "bytes", value: bytesToHex(bytes.slice(start, end)) }, indices }];
      }
      // A slice of an array selects several elements, each displayed on its own like `[]`.
      const [start, end] = sliceBounds(step, node.items.length);
      return node.items.slice(start, end).map((child) => ({ node: child, indices }));
    }
  }
}
