import { decodeFunctionData, getAddress, isHex, parseTransaction, sliceHex, type Hex } from "viem";
import { buildTuple } from "./data-tree";
import { StaticDataProvider, type DataProvider } from "./data-provider";
import type { DescriptorLookup } from "./descriptor-lookup";
import { DecodeError, DescriptorError, FormatNotFoundError } from "./errors";
import { FieldRenderer, type RendererOptions, type RenderResult } from "./field-renderer";
import { indexFormats } from "./format-index";
import type { CalldataInput, Descriptor, RenderedOutput } from "./types";

export type { Diagnostic, RenderResult } from "./field-renderer";

export interface RenderOptions {
  provider?: DataProvider;
  /** Finds descriptors for nested calls (`calldata` fields); without it they render as raw hex. */
  lookup?: DescriptorLookup;
  /** Maximum nesting of `calldata` fields (default 4). */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 4;

/** Whether the call targets one of the descriptor's deployments (descriptors without any are generic). */
export function isBoundTo(descriptor: Descriptor, chainId: number, to: string): boolean {
  const deployments = descriptor.context?.contract?.deployments;
  if (!deployments || deployments.length === 0) return true;
  return deployments.some((d) => d.chainId === chainId && d.address.toLowerCase() === to.toLowerCase());
}

async function renderWith(descriptor: Descriptor, input: CalldataInput, options: RendererOptions, depth: number): Promise<RenderResult> {
  if (!isHex(input.data) || input.data.length < 10) throw new DecodeError("calldata must be hex with at least a 4-byte selector");
  if (!isBoundTo(descriptor, input.chainId, input.to)) {
    throw new DescriptorError(`descriptor is not deployed at ${input.to} on chain ${input.chainId}`);
  }
  const selector = sliceHex(input.data, 0, 4).toLowerCase() as Hex;
  const bound = indexFormats(descriptor).get(selector);
  if (!bound) throw new FormatNotFoundError(`no display format for selector ${selector}`);
  let args: readonly unknown[];
  try {
    args = decodeFunctionData({ abi: [bound.fn], data: input.data }).args ?? [];
  } catch (cause) {
    throw new DecodeError(`calldata does not decode as ${bound.key}`, { cause });
  }
  const root = buildTuple(bound.fn.inputs, args);
  const renderer = new FieldRenderer(descriptor, bound.format, root, input, options, depth, []);
  const output = await renderer.render();
  return { output, diagnostics: renderer.diagnostics };
}

/** Fills in defaults; nested calls are rendered by this same calldata engine. */
export function rendererOptions(options: RenderOptions): RendererOptions {
  return {
    provider: options.provider ?? new StaticDataProvider(),
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    lookup: options.lookup,
    renderNested: (descriptor, input, depth) => renderWith(descriptor, input, rendererOptions(options), depth),
  };
}

/** Renders one contract call with a descriptor, also reporting what had to fall back to raw values. */
export function renderCallDetailed(descriptor: Descriptor, input: CalldataInput, options: RenderOptions = {}): Promise<RenderResult> {
  return renderWith(descriptor, input, rendererOptions(options), 0);
}

export async function renderCall(descriptor: Descriptor, input: CalldataInput, options: RenderOptions = {}): Promise<RenderedOutput> {
  return (await renderCallDetailed(descriptor, input, options)).output;
}

/** Decodes an unsigned serialized transaction (EIP-1559, EIP-2930 or legacy) into a call. */
export function callFromRawTransaction(rawTx: string, from?: string): CalldataInput {
  if (!isHex(rawTx)) throw new DecodeError("raw transaction must be 0x-prefixed hex");
  let tx: ReturnType<typeof parseTransaction>;
  try {
    tx = parseTransaction(rawTx);
  } catch (cause) {
    throw new DecodeError("raw transaction cannot be parsed", { cause });
  }
  if (!tx.to) throw new DecodeError("contract-creation transactions have no calldata to clear-sign");
  if (tx.chainId === undefined) throw new DecodeError("transaction has no chain id (pre-EIP-155 legacy)");
  return {
    chainId: tx.chainId,
    to: getAddress(tx.to),
    value: tx.value ?? 0n,
    data: tx.data ?? "0x",
    from: from === undefined ? undefined : getAddress(from),
  };
}

export async function renderRawTransaction(
  descriptor: Descriptor,
  rawTx: string,
  options: RenderOptions & { from?: string } = {},
): Promise<RenderedOutput> {
  return renderCall(descriptor, callFromRawTransaction(rawTx, options.from), options);
}
