import type { Address, Hex } from "viem";

/** Any JSON value, as found in a descriptor file. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Deployment {
  chainId: number;
  address: string;
}

/** A single field (or field group, or definition reference) inside `display.formats[*].fields`. */
export interface FieldSpec {
  path?: string;
  value?: JsonValue;
  label?: string;
  format?: string;
  params?: JsonObject;
  visible?: JsonValue;
  $ref?: string;
  fields?: FieldSpec[];
  iteration?: "sequential" | "bundled";
  separator?: string;
  encryption?: JsonObject;
  [key: string]: JsonValue | FieldSpec[] | undefined;
}

export interface FormatSpec {
  $id?: string;
  intent?: string | Record<string, string>;
  interpolatedIntent?: string;
  fields?: FieldSpec[];
  required?: string[];
  excluded?: string[];
}

/**
 * An ERC-7730 descriptor after its `includes` have been merged in. Only the parts the engine reads are
 * typed; everything else is kept as JSON so `$.` paths can reach it.
 */
export interface Descriptor {
  $schema?: string;
  context?: {
    $id?: string;
    contract?: {
      deployments?: Deployment[];
      abi?: JsonValue;
      [key: string]: unknown;
    };
    eip712?: JsonObject;
    [key: string]: unknown;
  };
  metadata?: {
    owner?: string;
    contractName?: string;
    constants?: JsonObject;
    enums?: Record<string, Record<string, string>>;
    maps?: Record<string, { $keyType?: string; values: JsonObject }>;
    token?: JsonObject;
    [key: string]: JsonValue | undefined;
  };
  display?: {
    definitions?: Record<string, FieldSpec>;
    formats?: Record<string, FormatSpec>;
  };
  [key: string]: unknown;
}

/** The transaction-level values reachable through `@.` paths. */
export interface TxContainer {
  chainId: number;
  to: Address;
  value: bigint;
  from?: Address;
}

/** A contract call to clear-sign: the container values plus its calldata. */
export interface CalldataInput extends TxContainer {
  data: Hex;
}

export interface RenderedField {
  label: string;
  value: string | RenderedOutput;
}

/** What the engine produces for one call; mirrors `renderedOutput` of the registry's tests schema. */
export interface RenderedOutput {
  intent: string;
  owner?: string;
  fields: RenderedField[];
  interpolatedIntent?: string;
}
