import { getAddress, isAddress, zeroAddress, type AbiParameter, type Address } from "viem";
import { buildTuple } from "./data-tree";
import { rendererOptions, type RenderOptions } from "./engine";
import { DecodeError, DescriptorError, FormatNotFoundError } from "./errors";
import { FieldRenderer, type RenderResult } from "./field-renderer";
import type { Descriptor, FormatSpec, RenderedOutput } from "./types";

export interface TypedDataField {
  name: string;
  type: string;
}

/** An EIP-712 typed-data object as wallets receive it (eth_signTypedData_v4). */
export interface TypedDataInput {
  types: Record<string, TypedDataField[]>;
  primaryType: string;
  domain: { name?: string; version?: string; chainId?: number | string | bigint; verifyingContract?: string; salt?: string };
  message: Record<string, unknown>;
}

const ARRAY_SUFFIX = /(\[\d*\])+$/;

function baseType(type: string): string {
  return type.replace(ARRAY_SUFFIX, "");
}

/** EIP-712 encodeType: the primary type, then every referenced struct type in alphabetical order. */
export function encodeType(types: TypedDataInput["types"], primaryType: string): string {
  const deps = new Set<string>();
  const visit = (type: string) => {
    const fields = types[type];
    if (!fields || deps.has(type)) return;
    deps.add(type);
    for (const f of fields) visit(baseType(f.type));
  };
  visit(primaryType);
  if (!deps.has(primaryType)) throw new DecodeError(`typed data has no type "${primaryType}"`);
  deps.delete(primaryType);
  const encode = (type: string) => `${type}(${(types[type] ?? []).map((f) => `${f.type} ${f.name}`).join(",")})`;
  return [primaryType, ...[...deps].sort()].map(encode).join("");
}

function toAbiParameter(types: TypedDataInput["types"], field: TypedDataField, seen: readonly string[]): AbiParameter {
  const base = baseType(field.type);
  const struct = types[base];
  if (!struct) return { name: field.name, type: field.type };
  if (seen.includes(base)) throw new DecodeError(`typed data type "${base}" is recursive`);
  const suffix = field.type.slice(base.length);
  return { name: field.name, type: `tuple${suffix}`, components: struct.map((f) => toAbiParameter(types, f, [...seen, base])) };
}

function normaliseKey(key: string): string {
  return key.replace(/\s+/g, "");
}

function findFormat(descriptor: Descriptor, typed: TypedDataInput): FormatSpec {
  const formats = descriptor.display?.formats ?? {};
  const wanted = normaliseKey(encodeType(typed.types, typed.primaryType));
  for (const [key, format] of Object.entries(formats)) {
    // v2 keys by encodeType; v1 descriptors may key by the primary type's name.
    if (normaliseKey(key) === wanted || key === typed.primaryType) return format;
  }
  throw new FormatNotFoundError(`no display format for EIP-712 type ${typed.primaryType}`);
}

function domainMatches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string" && typeof actual === "string") return expected.toLowerCase() === actual.toLowerCase();
  if ((typeof expected === "number" || typeof expected === "string") && (typeof actual === "number" || typeof actual === "string" || typeof actual === "bigint")) {
    try {
      return BigInt(expected) === BigInt(actual);
    } catch {
      return false;
    }
  }
  return expected === actual;
}

/** Checks `context.eip712` constraints: deployments (chainId + verifyingContract) and literal domain values. */
export function assertTypedDataBound(descriptor: Descriptor, typed: TypedDataInput): void {
  const context = descriptor.context?.eip712;
  if (!context) throw new DescriptorError("descriptor has no context.eip712 binding");
  const chainId = typed.domain.chainId;
  const contract = typed.domain.verifyingContract;
  const deployments = Array.isArray(context.deployments) ? context.deployments : [];
  if (deployments.length > 0) {
    const bound = deployments.some(
      (d) =>
        typeof d === "object" && d !== null && !Array.isArray(d) &&
        domainMatches(d.chainId, chainId) && domainMatches(d.address, contract),
    );
    if (!bound) throw new DescriptorError(`descriptor is not deployed at ${contract ?? "(no verifyingContract)"} on chain ${String(chainId)}`);
  }
  const domain = context.domain;
  if (typeof domain === "object" && domain !== null && !Array.isArray(domain)) {
    for (const [key, value] of Object.entries(domain)) {
      if (!domainMatches(value, (typed.domain as Record<string, unknown>)[key])) {
        throw new DescriptorError(`EIP-712 domain ${key} does not match the descriptor`);
      }
    }
  }
}

/**
 * Renders an EIP-712 message. `@.to` is the domain's verifyingContract, `@.chainId` its chainId,
 * `@.from` the signer (when given) and `@.value` zero.
 */
export async function renderTypedDataDetailed(
  descriptor: Descriptor,
  typed: TypedDataInput,
  options: RenderOptions & { from?: string } = {},
): Promise<RenderResult> {
  assertTypedDataBound(descriptor, typed);
  const fields = typed.types[typed.primaryType];
  if (!fields) throw new DecodeError(`typed data has no type "${typed.primaryType}"`);
  const format = findFormat(descriptor, typed);
  const params = fields.map((f) => toAbiParameter(typed.types, f, [typed.primaryType]));
  let root;
  try {
    root = buildTuple(params, typed.message);
  } catch (cause) {
    throw new DecodeError(`EIP-712 message does not match type ${typed.primaryType}`, { cause });
  }
  const contract = typed.domain.verifyingContract;
  const from = options.from;
  if (from !== undefined && !isAddress(from, { strict: false })) throw new DecodeError(`signer is not an address: ${from}`);
  const container = {
    chainId: typed.domain.chainId === undefined ? 0 : Number(typed.domain.chainId),
    to: (contract && isAddress(contract, { strict: false }) ? getAddress(contract) : zeroAddress) as Address,
    value: 0n,
    from: from === undefined ? undefined : getAddress(from),
  };
  const renderer = new FieldRenderer(descriptor, format, root, container, rendererOptions(options), 0, []);
  const output = await renderer.render();
  return { output, diagnostics: renderer.diagnostics };
}

export async function renderTypedData(
  descriptor: Descriptor,
  typed: TypedDataInput,
  options: RenderOptions & { from?: string } = {},
): Promise<RenderedOutput> {
  return (await renderTypedDataDetailed(descriptor, typed, options)).output;
}
