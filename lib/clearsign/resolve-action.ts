import { decodeFunctionData, getAddress, isAddress, isHex, sliceHex, type Address, type Hex } from "viem";
import { StaticDataProvider, type DataProvider } from "./data-provider";
import type { DescriptorLookup } from "./descriptor-lookup";
import { renderCallDetailed, type Diagnostic } from "./engine";
import { nativeCurrency } from "./chains";
import { ClearSignError, InputError } from "./errors";
import { indexFormats, type BoundFormat } from "./format-index";
import { formatAddressName, formatNativeAmount } from "./format-values";
import type { CallTarget, DescriptorRegistry, RegisteredDescriptor } from "./registry";
import { shortAddress, shortenAddresses } from "./short-address";
import type { RenderedField } from "./types";

/** One contract call of a draft, as agents submit it (`value` in wei, decimal string or bigint). */
export interface ActionInput {
  chainId: number;
  to: string;
  data: string;
  value: string | bigint;
  /** The account making the call (the Safe), for descriptors that read `@.from`. */
  from?: string;
}

export interface ResolveOptions {
  /** Searched in order; within the list, a descriptor bound to the exact deployment beats a generic one. */
  registries: readonly DescriptorRegistry[];
  provider?: DataProvider;
}

export type DecodedCall =
  | { selector: Hex; functionName: string; signature: string; args: Record<string, string> }
  | { selector: Hex; argsHex: Hex };

export interface ResolvedAction {
  resolved: true;
  intent: string;
  owner?: string;
  fields: RenderedField[];
  interpolatedIntent?: string;
  /** interpolatedIntent (or intent) with addresses in short form: the one-line summary. */
  description: string;
  descriptorSource: "vendor" | "overlay";
  descriptorId: string;
  /** Who the action is with, for grouping in the UI: the descriptor's metadata.owner, else its id. */
  protocolTag: string;
  bindingKind: "calldata";
}

export interface UnresolvedAction {
  resolved: false;
  reason: string;
  to: Address;
  decoded?: DecodedCall;
}

export type ActionResult = ResolvedAction | UnresolvedAction;

const NATIVE_TRANSFER_ID = "native-transfer";

function parseValue(value: string | bigint): bigint {
  if (typeof value === "bigint") return value;
  if (!/^\d+$/.test(value)) throw new InputError(`action value must be a decimal wei amount, got "${value}"`);
  return BigInt(value);
}

/** Deployment-bound descriptors of every registry first, then generic ones, in registry order. */
function findEntry(registries: readonly DescriptorRegistry[], call: CallTarget, selector: Hex): RegisteredDescriptor | undefined {
  for (const r of registries) {
    const hit = r.findDeployed(call, selector);
    if (hit) return hit;
  }
  for (const r of registries) {
    const hit = r.findGeneric(call, selector);
    if (hit) return hit;
  }
  return undefined;
}

function combinedLookup(registries: readonly DescriptorRegistry[]): DescriptorLookup {
  return { find: (chainId, to, selector, from) => findEntry(registries, { chainId, to, from }, selector)?.descriptor };
}

function stringifyArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function decodeWith(bound: BoundFormat, data: Hex): DecodedCall | undefined {
  try {
    const { args } = decodeFunctionData({ abi: [bound.fn], data });
    const named: Record<string, string> = {};
    bound.fn.inputs.forEach((input, i) => {
      named[input.name || String(i)] = stringifyArg((args ?? [])[i]);
    });
    const signature = `${bound.fn.name}(${bound.fn.inputs.map((i) => i.type).join(",")})`;
    return { selector: bound.selector, functionName: bound.fn.name, signature, args: named };
  } catch {
    return undefined;
  }
}

/** Decodes with any known ABI for the selector (from any registry), else selector + argument bytes. */
function decodeCall(registries: readonly DescriptorRegistry[], call: CallTarget, data: Hex): DecodedCall {
  const selector = sliceHex(data, 0, 4).toLowerCase() as Hex;
  let entry: RegisteredDescriptor | undefined;
  for (const r of registries) entry ??= r.findAbiSource(call, selector);
  const bound = entry ? indexFormats(entry.descriptor).get(selector) : undefined;
  return (bound && decodeWith(bound, data)) ?? { selector, argsHex: data.length > 10 ? sliceHex(data, 4) : "0x" };
}

function unknownTokenReason(diagnostics: Diagnostic[]): string | undefined {
  const missing = diagnostics.find((d) => d.kind === "unknown-token");
  if (!missing) return undefined;
  return `no token metadata for ${missing.token ?? "the token"} (needed for "${missing.label}")`;
}

/**
 * Clear-signs one action with the first matching descriptor. A generic descriptor (not bound to the
 * callee's deployment) only counts when every token amount it shows could be resolved, since it
 * cannot vouch for the contract it is applied to.
 */
export async function resolveAction(action: ActionInput, options: ResolveOptions): Promise<ActionResult> {
  const foreign = options.registries.find((r) => r.source !== "vendor" && r.source !== "overlay");
  if (foreign) throw new InputError(`resolveAction takes vendor and overlay registries, not "${foreign.source}"`);
  if (!isAddress(action.to, { strict: false })) throw new InputError(`action "to" is not an address: ${action.to}`);
  if (!isHex(action.data)) throw new InputError("action data must be 0x-prefixed hex");
  if (action.from !== undefined && !isAddress(action.from, { strict: false })) throw new InputError(`action "from" is not an address: ${action.from}`);
  const to = getAddress(action.to);
  const data = action.data.toLowerCase() as Hex;
  const value = parseValue(action.value);
  const provider = options.provider ?? new StaticDataProvider();

  if (data === "0x") {
    const amount = formatNativeAmount(action.chainId, value);
    const recipient = await formatAddressName(provider, to, { chainId: action.chainId, senderAddresses: [] });
    const interpolatedIntent = `Send ${amount} to ${recipient}`;
    return {
      resolved: true,
      intent: "Send",
      fields: [
        { label: "Amount", value: amount },
        { label: "To", value: recipient },
      ],
      interpolatedIntent,
      description: shortenAddresses(interpolatedIntent),
      descriptorSource: "vendor",
      descriptorId: NATIVE_TRANSFER_ID,
      protocolTag: nativeCurrency(action.chainId).symbol,
      bindingKind: "calldata",
    };
  }
  if (data.length < 10) return { resolved: false, reason: "calldata is shorter than a 4-byte selector", to };

  const selector = sliceHex(data, 0, 4);
  const from = action.from === undefined ? undefined : getAddress(action.from);
  const call: CallTarget = { chainId: action.chainId, to, from };
  const entry = findEntry(options.registries, call, selector);
  if (!entry) {
    return {
      resolved: false,
      reason: `no clear-signing descriptor for selector ${selector} on ${to} (chain ${action.chainId})`,
      to,
      decoded: decodeCall(options.registries, call, data),
    };
  }
  const generic = (entry.descriptor.context?.contract?.deployments ?? []).length === 0;
  try {
    const { output, diagnostics } = await renderCallDetailed(
      entry.descriptor,
      { chainId: action.chainId, to, value, data, from },
      { provider, lookup: combinedLookup(options.registries) },
    );
    const missingToken = generic ? unknownTokenReason(diagnostics) : undefined;
    if (missingToken) {
      return { resolved: false, reason: missingToken, to, decoded: decodeCall(options.registries, call, data) };
    }
    // A call can carry native currency its descriptor never shows; surface it rather than hide it.
    const showsValue = JSON.stringify(indexFormats(entry.descriptor).get(selector)?.format ?? {}).includes("@.value");
    const attached = value > 0n && !showsValue ? formatNativeAmount(action.chainId, value) : undefined;
    const fields = attached ? [...output.fields, { label: "Native value sent", value: attached }] : output.fields;
    const summary = output.interpolatedIntent ?? output.intent;
    return {
      resolved: true,
      intent: output.intent,
      ...(output.owner === undefined ? {} : { owner: output.owner }),
      fields,
      ...(output.interpolatedIntent === undefined ? {} : { interpolatedIntent: output.interpolatedIntent }),
      description: shortenAddresses(attached ? `${summary} (with ${attached})` : summary),
      descriptorSource: entry.source === "vendor" ? "vendor" : "overlay",
      descriptorId: entry.id,
      protocolTag: output.owner ?? entry.id,
      bindingKind: "calldata",
    };
  } catch (error) {
    if (!(error instanceof ClearSignError)) throw error;
    return {
      resolved: false,
      reason: `descriptor "${entry.id}" could not render the call: ${error.message}`,
      to,
      decoded: decodeCall(options.registries, call, data),
    };
  }
}

export function resolveActions(actions: readonly ActionInput[], options: ResolveOptions): Promise<ActionResult[]> {
  return Promise.all(actions.map((a) => resolveAction(a, options)));
}

function actionLine(result: ActionResult): string {
  if (result.resolved) return result.description;
  const selector = result.decoded?.selector;
  return selector ? `Unverified call ${selector} to ${shortAddress(result.to)}` : `Unverified call to ${shortAddress(result.to)}`;
}

/** One notification line: the first action's summary, plus "and N more action(s)". */
export function aggregateDescription(results: readonly ActionResult[]): string {
  const [first, ...rest] = results;
  if (!first) throw new InputError("aggregateDescription needs at least one action");
  const line = actionLine(first);
  if (rest.length === 0) return line;
  return `${line} and ${rest.length} more action${rest.length === 1 ? "" : "s"}`;
}
