import { bytesToHex, getAddress, hexToBytes, isHex, padHex, toHex, type Address, type Hex } from "viem";
import type { ValueNode } from "./data-tree";
import { FieldFormatError } from "./errors";
import type { JsonValue } from "./types";

function describe(node: ValueNode): string {
  return node.kind === "constant" ? `constant ${JSON.stringify(node.value)}` : `${node.type} value`;
}

function jsonToBigInt(value: JsonValue): bigint | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && (/^-?\d+$/.test(value) || isHex(value))) return BigInt(value);
  if (typeof value === "boolean") return value ? 1n : 0n;
  return undefined;
}

/** The value as an integer: (u)ints as is, bytes and addresses as big-endian unsigned numbers. */
export function toBigInt(node: ValueNode): bigint {
  if (node.kind === "constant") {
    const n = jsonToBigInt(node.value);
    if (n === undefined) throw new FieldFormatError(`${describe(node)} is not a number`);
    return n;
  }
  if (node.kind !== "leaf") throw new FieldFormatError(`a ${node.type} value is not a number`);
  const { value } = node;
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (isHex(value)) return value === "0x" ? 0n : BigInt(value);
  throw new FieldFormatError(`${describe(node)} is not a number`);
}

function addressFromHex(hex: Hex): Address {
  const bytes = hexToBytes(hex);
  const tail = bytes.length >= 20 ? bytes.slice(bytes.length - 20) : hexToBytes(padHex(hex, { size: 20 }));
  return getAddress(bytesToHex(tail));
}

/** The value as an address: addresses as is, wider values (uint256, bytes32, slices) by their low 20 bytes. */
export function toAddress(node: ValueNode): Address {
  if (node.kind === "constant") {
    const { value } = node;
    if (typeof value === "string" && isHex(value)) return addressFromHex(value.length % 2 === 0 ? value : padHex(value, { size: 20 }));
    throw new FieldFormatError(`${describe(node)} is not an address`);
  }
  if (node.kind !== "leaf") throw new FieldFormatError(`a ${node.type} value is not an address`);
  const { value } = node;
  if (typeof value === "bigint") {
    if (value < 0n) throw new FieldFormatError(`negative value ${value} is not an address`);
    return addressFromHex(toHex(value & ((1n << 160n) - 1n), { size: 20 }));
  }
  if (typeof value === "string" && isHex(value)) return addressFromHex(value as Hex);
  throw new FieldFormatError(`${describe(node)} is not an address`);
}

// Control characters and bidirectional overrides let a string argument disguise what a signer reads.
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Shows invisible and direction-changing characters of calldata strings as \u{...} escapes. */
export function escapeUnsafeText(text: string): string {
  return text.replace(UNSAFE_TEXT, (ch) => `\\u{${ch.codePointAt(0)?.toString(16) ?? ""}}`);
}

/** The `raw` format: the natural text of the value. */
export function rawText(node: ValueNode): string {
  if (node.kind === "constant") {
    const { value } = node;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new FieldFormatError(`${describe(node)} has no raw representation`);
  }
  if (node.kind !== "leaf") throw new FieldFormatError(`a ${node.type} value has no raw representation`);
  const { value } = node;
  if (typeof value === "bigint" || typeof value === "boolean") return value.toString();
  return node.type === "string" ? escapeUnsafeText(value) : value;
}

/** The value as calldata bytes. */
export function toBytes(node: ValueNode): Hex {
  if (node.kind === "leaf" && typeof node.value === "string" && isHex(node.value)) return node.value as Hex;
  if (node.kind === "constant" && typeof node.value === "string" && isHex(node.value)) return node.value as Hex;
  throw new FieldFormatError(`${describe(node)} is not a byte string`);
}
