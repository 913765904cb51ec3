import { assertNonNegativeInteger } from "./basic";
import { InvalidArgumentError } from "./errors";

/** Big-endian unsigned encoding; with len, left-pads with zeros and throws if a does not fit. */
export function toBytesBE(a: bigint, len?: number): Uint8Array {
  if (a < 0n) throw new InvalidArgumentError("toBytesBE needs a non-negative integer");
  let hex = a === 0n ? "" : a.toString(16);
  if (hex.length % 2 === 1) hex = "0" + hex;
  const natural = hex.length / 2;
  if (len !== undefined) {
    assertNonNegativeInteger(len, "len");
    if (natural > len) throw new InvalidArgumentError(`value needs ${natural} bytes, more than ${len}`);
  }
  const out = new Uint8Array(len ?? natural);
  const offset = out.length - natural;
  for (let i = 0; i < natural; i++) {
    out[offset + i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

export function fromBytesBE(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return BigInt("0x" + hex);
}

/** Lower-case hex without prefix, even number of digits ("00" for zero). */
export function toHex(a: bigint): string {
  if (a < 0n) throw new InvalidArgumentError("toHex needs a non-negative integer");
  const hex = a.toString(16);
  return hex.length % 2 === 1 ? "0" + hex : hex;
}

/** Parses hex with or without a 0x prefix; the empty string is 0. */
export function fromHex(hex: string): bigint {
  const body = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]*$/.test(body)) throw new InvalidArgumentError(`not a hex string: ${hex}`);
  return body.length === 0 ? 0n : BigInt("0x" + body);
}
