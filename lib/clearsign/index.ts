/** ERC-7730 clear signing: render contract calls from descriptors, resolve and summarise draft actions. */
export { renderCall, renderCallDetailed, renderRawTransaction, callFromRawTransaction, isBoundTo } from "./engine";
export type { Diagnostic, RenderOptions, RenderResult } from "./engine";
export { renderTypedData, renderTypedDataDetailed, encodeType } from "./typed-data";
export type { TypedDataInput } from "./typed-data";
export { StaticDataProvider, dataProviderFileSchema } from "./data-provider";
export type { DataProvider, DataProviderFile, TokenInfo } from "./data-provider";
export { DescriptorRegistry } from "./registry";
export type { DescriptorSource, RegisteredDescriptor } from "./registry";
export type { DescriptorLookup } from "./descriptor-lookup";
export { vendorRegistry } from "./vendor-registry";
export { resolveAction, resolveActions, aggregateDescription } from "./resolve-action";
export type { ActionInput, ActionResult, DecodedCall, ResolveOptions, ResolvedAction, UnresolvedAction } from "./resolve-action";
export { shortAddress, shortenAddresses } from "./short-address";
export { mergeIncluded } from "./descriptor-merge";
export * from "./errors";
export type { CalldataInput, Descriptor, RenderedField, RenderedOutput, TxContainer } from "./types";
