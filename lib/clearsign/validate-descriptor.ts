import { encodeFunctionData, getAddress, isAddress, type AbiParameter, type Address, type Hex } from "viem";
import { renderCallDetailed } from "./engine";
import { DescriptorError, PathError } from "./errors";
import { indexFormats } from "./format-index";
import { parsePath } from "./path";
import { StaticDataProvider } from "./data-provider";
import type { Deployment, Descriptor } from "./types";

/**
 * Validation of a descriptor an organization uploads (the clear-signing overlay): an ERC-7730 v1
 * calldata descriptor, self-contained (no `includes`), bound to at least one deployment. Structural
 * checks name the JSON path of each problem; then every display format is rendered once by the
 * engine against a synthetic call so paths, `$ref`s and definitions the engine cannot follow are
 * reported too. Pure: no I/O.
 */

export type DescriptorViolation = { path: string; message: string };

export interface ValidatedDescriptor {
  descriptor: Descriptor;
  deployments: Deployment[];
  /** Each display format as `{ key, selector, signature }`. */
  functions: { key: string; selector: Hex; signature: string }[];
}

export type ValidationResult = { ok: true; value: ValidatedDescriptor } | { ok: false; violations: DescriptorViolation[] };

/** Upper bound on the descriptor's JSON text (bytes of UTF-8). */
export const MAX_DESCRIPTOR_BYTES = 64 * 1024;
const MAX_DEPLOYMENTS = 100;
const MAX_FORMATS = 200;

export const FIELD_FORMATS = [
  "raw",
  "addressName",
  "interoperableAddressName",
  "tokenTicker",
  "amount",
  "tokenAmount",
  "nftName",
  "date",
  "duration",
  "unit",
  "enum",
  "chainId",
  "calldata",
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkPath(source: unknown, at: string, out: DescriptorViolation[]): void {
  if (typeof source !== "string") {
    out.push({ path: at, message: "must be a string" });
    return;
  }
  try {
    parsePath(source);
  } catch (err) {
    out.push({ path: at, message: (err as Error).message });
  }
}

function checkFields(fields: unknown, at: string, out: DescriptorViolation[], depth = 0): void {
  if (!Array.isArray(fields)) {
    out.push({ path: at, message: "must be an array of fields" });
    return;
  }
  if (depth > 4) {
    out.push({ path: at, message: "field groups are nested too deeply" });
    return;
  }
  fields.forEach((field, i) => {
    const p = `${at}.${i}`;
    if (!isObject(field)) {
      out.push({ path: p, message: "must be an object" });
      return;
    }
    if (field.$ref !== undefined) {
      checkPath(field.$ref, `${p}.$ref`, out);
      if (typeof field.$ref === "string" && !field.$ref.startsWith("$.display.definitions.")) {
        out.push({ path: `${p}.$ref`, message: 'must reference "$.display.definitions.<name>"' });
      }
      if (field.path !== undefined) checkPath(field.path, `${p}.path`, out);
      return;
    }
    if (field.path !== undefined) checkPath(field.path, `${p}.path`, out);
    if (field.fields !== undefined) {
      checkFields(field.fields, `${p}.fields`, out, depth + 1);
      return;
    }
    if (field.path === undefined && field.value === undefined) out.push({ path: p, message: "needs a path (or a value)" });
    if (typeof field.label !== "string" || field.label.trim() === "") out.push({ path: `${p}.label`, message: "must be a non-empty string" });
    if (field.format !== undefined && !(FIELD_FORMATS as readonly unknown[]).includes(field.format)) {
      out.push({ path: `${p}.format`, message: `must be one of ${FIELD_FORMATS.join(", ")}` });
    }
    if (field.params !== undefined && !isObject(field.params)) out.push({ path: `${p}.params`, message: "must be an object" });
  });
}

function checkDeployments(value: unknown, at: string, out: DescriptorViolation[]): Deployment[] {
  if (!Array.isArray(value) || value.length === 0) {
    out.push({ path: at, message: "must list at least one { chainId, address } deployment: uploaded descriptors are bound to contracts" });
    return [];
  }
  if (value.length > MAX_DEPLOYMENTS) out.push({ path: at, message: `at most ${MAX_DEPLOYMENTS} deployments` });
  const deployments: Deployment[] = [];
  value.forEach((d, i) => {
    const p = `${at}.${i}`;
    if (!isObject(d)) {
      out.push({ path: p, message: "must be an object { chainId, address }" });
      return;
    }
    const okChain = typeof d.chainId === "number" && Number.isSafeInteger(d.chainId) && d.chainId > 0;
    if (!okChain) out.push({ path: `${p}.chainId`, message: "must be a positive integer" });
    const okAddress = typeof d.address === "string" && isAddress(d.address, { strict: false });
    if (!okAddress) out.push({ path: `${p}.address`, message: "must be a 0x-prefixed 20-byte address" });
    if (okChain && okAddress) deployments.push({ chainId: d.chainId as number, address: getAddress(d.address as string) });
  });
  return deployments;
}

/** Zero-ish arguments for a function's inputs (two elements per dynamic array), for a dry-run render. */
function sampleValue(param: AbiParameter): unknown {
  const array = /^(.*)\[(\d*)\]$/.exec(param.type);
  if (array) {
    const inner = { ...param, type: array[1]! } as AbiParameter;
    const n = array[2] === "" ? 2 : Number(array[2]);
    return Array.from({ length: n }, () => sampleValue(inner));
  }
  if (param.type === "tuple") {
    const components = (param as { components?: readonly AbiParameter[] }).components ?? [];
    const named = components.every((c) => c.name);
    return named ? Object.fromEntries(components.map((c) => [c.name!, sampleValue(c)])) : components.map(sampleValue);
  }
  if (param.type === "address") return "0x0000000000000000000000000000000000000001";
  if (param.type === "bool") return false;
  if (param.type === "string") return "";
  if (param.type === "bytes") return `0x${"00".repeat(64)}`;
  if (param.type.startsWith("bytes")) return `0x${"00".repeat(Number(param.type.slice(5)))}`;
  return 0n;
}

/**
 * Validates an uploaded descriptor. Only problems the descriptor itself causes are reported by the
 * dry run (DescriptorError, PathError); a value the synthetic call happens not to satisfy (an enum
 * without 0, a `mustMatch`) is not the descriptor's fault.
 */
export async function validateUploadedDescriptor(input: unknown, root = "descriptor"): Promise<ValidationResult> {
  const out: DescriptorViolation[] = [];
  if (!isObject(input)) return { ok: false, violations: [{ path: root, message: "must be a JSON object" }] };
  const size = Buffer.byteLength(JSON.stringify(input), "utf8");
  if (size > MAX_DESCRIPTOR_BYTES) return { ok: false, violations: [{ path: root, message: `is ${size} bytes; at most ${MAX_DESCRIPTOR_BYTES} are accepted` }] };
  if (input.includes !== undefined) out.push({ path: `${root}.includes`, message: "includes are not allowed in uploaded descriptors: merge the included file into this one" });

  const context = input.context;
  let deployments: Deployment[] = [];
  if (!isObject(context)) {
    out.push({ path: `${root}.context`, message: "must be an object with context.contract" });
  } else {
    if (context.eip712 !== undefined) out.push({ path: `${root}.context.eip712`, message: "only calldata descriptors (context.contract) are supported" });
    const contract = context.contract;
    if (!isObject(contract)) {
      out.push({ path: `${root}.context.contract`, message: "must be an object with deployments" });
    } else {
      deployments = checkDeployments(contract.deployments, `${root}.context.contract.deployments`, out);
      if (contract.abi !== undefined && !Array.isArray(contract.abi)) out.push({ path: `${root}.context.contract.abi`, message: "must be an inline ABI array (URLs are not fetched)" });
    }
  }
  if (input.metadata !== undefined) {
    if (!isObject(input.metadata)) out.push({ path: `${root}.metadata`, message: "must be an object" });
    else if (input.metadata.owner !== undefined && typeof input.metadata.owner !== "string") out.push({ path: `${root}.metadata.owner`, message: "must be a string" });
  }

  const display = input.display;
  const formats = isObject(display) ? display.formats : undefined;
  if (!isObject(display)) {
    out.push({ path: `${root}.display`, message: "must be an object with display.formats" });
  } else if (!isObject(formats) || Object.keys(formats).length === 0) {
    out.push({ path: `${root}.display.formats`, message: "must map at least one function signature to a format" });
  } else {
    if (Object.keys(formats).length > MAX_FORMATS) out.push({ path: `${root}.display.formats`, message: `at most ${MAX_FORMATS} formats` });
    if (display.definitions !== undefined) {
      if (!isObject(display.definitions)) out.push({ path: `${root}.display.definitions`, message: "must be an object" });
      else for (const [name, def] of Object.entries(display.definitions)) if (!isObject(def)) out.push({ path: `${root}.display.definitions.${name}`, message: "must be an object" });
    }
    for (const [key, format] of Object.entries(formats)) {
      const p = `${root}.display.formats.${key}`;
      if (!isObject(format)) {
        out.push({ path: p, message: "must be an object" });
        continue;
      }
      const intent = format.intent;
      const intentOk = intent === undefined || typeof intent === "string" || (isObject(intent) && Object.values(intent).every((v) => typeof v === "string"));
      if (!intentOk) out.push({ path: `${p}.intent`, message: "must be a string (or an object of strings)" });
      if (format.interpolatedIntent !== undefined && typeof format.interpolatedIntent !== "string") out.push({ path: `${p}.interpolatedIntent`, message: "must be a string" });
      checkFields(format.fields, `${p}.fields`, out);
      for (const list of ["required", "excluded"] as const) {
        const v = format[list];
        if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === "string"))) out.push({ path: `${p}.${list}`, message: "must be an array of paths" });
      }
      // The engine's own reading of the key (signature, or selector/name with context.contract.abi).
      try {
        indexFormats({ context: isObject(context) ? (context as Descriptor["context"]) : undefined, display: { formats: { [key]: {} } } });
      } catch (err) {
        out.push({ path: p, message: (err as Error).message });
      }
    }
  }
  if (out.length > 0) return { ok: false, violations: out };

  const descriptor = input as Descriptor;
  const index = indexFormats(descriptor);
  const functions = [...index.values()].map((b) => ({ key: b.key, selector: b.selector, signature: `${b.fn.name}(${b.fn.inputs.map((i) => i.type).join(",")})` }));

  // Dry run: render every format once, as the product would, against a synthetic call.
  const first = deployments[0]!;
  const provider = new StaticDataProvider();
  for (const bound of index.values()) {
    let data: Hex;
    try {
      data = encodeFunctionData({ abi: [bound.fn], functionName: bound.fn.name, args: bound.fn.inputs.map(sampleValue) });
    } catch {
      continue;
    }
    try {
      await renderCallDetailed(descriptor, { chainId: first.chainId, to: first.address as Address, value: 0n, data, from: "0x0000000000000000000000000000000000000002" }, { provider });
    } catch (err) {
      if (err instanceof DescriptorError || err instanceof PathError) out.push({ path: `${root}.display.formats.${bound.key}`, message: err.message });
    }
  }
  if (out.length > 0) return { ok: false, violations: out };
  return { ok: true, value: { descriptor, deployments, functions } };
}
