import { concatHex, getAddress, sliceHex, type Address } from "viem";
import { resolveDataPath, type LeafNode, type TupleNode, type ValueNode } from "./data-tree";
import type { DataProvider } from "./data-provider";
import { mergeDefinition } from "./descriptor-merge";
import type { DescriptorLookup } from "./descriptor-lookup";
import { ClearSignError, DescriptorError, FieldFormatError, PathError } from "./errors";
import {
  formatAddressName,
  formatChainId,
  formatDuration,
  formatEnum,
  formatNativeAmount,
  formatTimestamp,
  formatTokenAmount,
  formatUnit,
} from "./format-values";
import { parseInterpolation } from "./interpolation";
import { parsePath, pathKey, resolveRelative, type ParsedPath } from "./path";
import type { CalldataInput, Descriptor, FieldSpec, FormatSpec, JsonObject, JsonValue, RenderedField, RenderedOutput, TxContainer } from "./types";
import { rawText, toAddress, toBigInt, toBytes } from "./values";

/** Something the renderer had to fall back on; callers decide whether that is acceptable. */
export type Diagnostic =
  | { kind: "unknown-token"; label: string; token?: Address }
  | { kind: "unresolved-nested-call"; label: string; callee?: Address; reason: string };

export interface RenderResult {
  output: RenderedOutput;
  diagnostics: Diagnostic[];
}

export interface RendererOptions {
  provider: DataProvider;
  lookup?: DescriptorLookup;
  maxDepth: number;
  /** Renders a nested call with its own descriptor (supplied by the calldata engine). */
  renderNested: (descriptor: Descriptor, input: CalldataInput, depth: number) => Promise<RenderResult>;
}

const ROOT: ParsedPath = { root: "#", steps: [] };

interface Scope {
  base: ParsedPath;
  bindings: ReadonlyMap<string, number>;
}

interface ValueMatch {
  node: ValueNode;
  indices: ReadonlyMap<string, number>;
}

interface IndexedSpec {
  spec: FieldSpec;
  base: ParsedPath;
}

type Visibility = { kind: "show" } | { kind: "never" } | { kind: "ifNotIn"; values: string[] } | { kind: "mustMatch"; values: string[] };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function visibilityOf(spec: FieldSpec): Visibility {
  const v = spec.visible;
  if (v === "never" || v === false) return { kind: "never" };
  if (isObject(v)) {
    const list = (x: JsonValue | undefined) => (Array.isArray(x) ? x.map((e) => String(e).toLowerCase()) : []);
    if (Array.isArray(v.mustMatch)) return { kind: "mustMatch", values: list(v.mustMatch) };
    if (Array.isArray(v.ifNotIn)) return { kind: "ifNotIn", values: list(v.ifNotIn) };
  }
  return { kind: "show" };
}

/**
 * Renders one display format against a decoded message (calldata arguments or an EIP-712 message):
 * resolves paths, applies field formats, visibility rules and the interpolated intent.
 */
export class FieldRenderer {
  private readonly specIndex = new Map<string, IndexedSpec>();

  constructor(
    private readonly descriptor: Descriptor,
    private readonly format: FormatSpec,
    private readonly args: TupleNode,
    private readonly container: TxContainer,
    private readonly options: RendererOptions,
    private readonly depth: number,
    readonly diagnostics: Diagnostic[],
  ) {}

  async render(): Promise<RenderedOutput> {
    const { format } = this;
    const specs = format.fields ?? [];
    this.indexSpecs(specs, ROOT);
    // v1 `required`: paths a wallet must show; each needs a field that formats it.
    for (const required of format.required ?? []) {
      const parsed = parsePath(required);
      const key = pathKey(parsed.root === "@" || parsed.root === "$" ? parsed : resolveRelative(parsed, ROOT));
      const indexed = this.specIndex.get(key);
      if (!indexed || visibilityOf(indexed.spec).kind === "never") {
        throw new DescriptorError(`required field "${required}" has no visible display format`);
      }
    }
    const fields = await this.renderFields(specs, { base: ROOT, bindings: new Map() });
    const owner = this.descriptor.metadata?.owner;
    const output: RenderedOutput = owner === undefined ? { intent: intentText(format.intent), fields } : { intent: intentText(format.intent), owner, fields };
    if (format.interpolatedIntent !== undefined) {
      // As ERC-7730 says, a template that cannot be filled falls back to the plain intent.
      const text = await this.interpolate(format.interpolatedIntent).catch((error: unknown) => {
        if (error instanceof ClearSignError) return undefined;
        throw error;
      });
      if (text !== undefined) output.interpolatedIntent = text;
    }
    return output;
  }

  // ---- descriptor lookups -------------------------------------------------------------------

  private constantAt(path: ParsedPath, source: string): JsonValue {
    let current: unknown = this.descriptor;
    for (const step of path.steps) {
      if (step.kind === "field" && isObject(current) && step.name in current) current = current[step.name];
      else if (step.kind === "index" && Array.isArray(current)) current = current.at(step.index);
      else throw new PathError(`descriptor path "${source}" does not resolve`);
      if (current === undefined) throw new PathError(`descriptor path "${source}" does not resolve`);
    }
    return current as JsonValue;
  }

  private expandRef(spec: FieldSpec): FieldSpec {
    if (spec.$ref === undefined) return spec;
    const definition = this.constantAt(parsePath(spec.$ref), spec.$ref);
    if (!isObject(definition)) throw new DescriptorError(`"${spec.$ref}" is not a field definition`);
    const { $ref: _ref, ...rest } = spec;
    return mergeDefinition(definition as FieldSpec, rest as FieldSpec);
  }

  // ---- value resolution ---------------------------------------------------------------------

  private containerNode(name: string): LeafNode {
    const c = this.container;
    switch (name) {
      case "from":
        if (!c.from) throw new PathError("@.from is needed but no sender address was given");
        return { kind: "leaf", type: "address", value: getAddress(c.from) };
      case "to":
        return { kind: "leaf", type: "address", value: getAddress(c.to) };
      case "value":
        return { kind: "leaf", type: "uint256", value: c.value };
      case "chainId":
        return { kind: "leaf", type: "uint256", value: BigInt(c.chainId) };
      default:
        throw new PathError(`unknown container path "@.${name}"`);
    }
  }

  /** Every value `path` selects; `[]` steps not fixed by the scope's bindings expand. */
  private resolveMatches(path: ParsedPath, scope: Scope, source: string): ValueMatch[] {
    if (path.root === "$") return [{ node: { kind: "constant", value: this.constantAt(path, source) }, indices: scope.bindings }];
    if (path.root === "@") {
      const [first, ...rest] = path.steps;
      if (!first || first.kind !== "field") throw new PathError(`invalid container path "${source}"`);
      return resolveDataPath(this.containerNode(first.name), { root: "#", steps: rest });
    }
    return resolveDataPath(this.args, resolveRelative(path, scope.base), scope.bindings);
  }

  private matches(source: string, scope: Scope): ValueMatch[] {
    return this.resolveMatches(parsePath(source), scope, source);
  }

  private single(source: string, scope: Scope): ValueNode {
    const found = this.matches(source, scope);
    const [first] = found;
    if (!first || found.length !== 1) throw new FieldFormatError(`path "${source}" must select exactly one value, got ${found.length}`);
    return first.node;
  }

  /** A parameter: a literal, a `$.` reference, or a `{map, keyPath}` map reference. */
  private param(value: JsonValue | undefined, scope: Scope): ValueNode | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string" && value.startsWith("$.")) return { kind: "constant", value: this.constantAt(parsePath(value), value) };
    if (isObject(value) && typeof value.map === "string" && typeof value.keyPath === "string") {
      const map = this.constantAt(parsePath(value.map), value.map);
      const key = rawText(this.single(value.keyPath, scope));
      const values = isObject(map) && isObject(map.values) ? map.values : undefined;
      const found = values?.[key] ?? values?.[key.toLowerCase()];
      if (found === undefined) throw new FieldFormatError(`map "${value.map}" has no entry for "${key}"`);
      return { kind: "constant", value: found };
    }
    return { kind: "constant", value };
  }

  private paramList(value: JsonValue | undefined, scope: Scope): ValueNode[] {
    if (Array.isArray(value)) return value.flatMap((v) => this.paramList(v, scope));
    const node = this.param(value, scope);
    if (!node) return [];
    if (node.kind === "constant" && Array.isArray(node.value)) return node.value.map((v) => ({ kind: "constant", value: v }));
    return [node];
  }

  /** `x` (literal or `$.` reference) or `xPath` (path into the call), whichever the params give. */
  private paramOrPath(params: JsonObject, name: string, scope: Scope): ValueNode | undefined {
    const direct = this.param(params[name], scope);
    if (direct) return direct;
    const path = params[`${name}Path`];
    return typeof path === "string" ? this.single(path, scope) : undefined;
  }

  // ---- fields ---------------------------------------------------------------------------------

  private indexSpecs(specs: FieldSpec[], base: ParsedPath): void {
    for (const raw of specs) {
      const spec = this.expandRef(raw);
      if (spec.fields) {
        this.indexSpecs(spec.fields, spec.path === undefined ? base : resolveRelative(parsePath(spec.path), base));
      } else if (spec.path !== undefined) {
        const path = parsePath(spec.path);
        const key = pathKey(path.root === "@" || path.root === "$" ? path : resolveRelative(path, base));
        if (!this.specIndex.has(key)) this.specIndex.set(key, { spec, base });
      }
    }
  }

  private isExcluded(path: ParsedPath, base: ParsedPath): boolean {
    const excluded = this.format.excluded ?? [];
    const key = pathKey(resolveRelative(path, base));
    return excluded.some((e) => pathKey(resolveRelative(parsePath(e), ROOT)) === key);
  }

  private async renderFields(specs: FieldSpec[], scope: Scope): Promise<RenderedField[]> {
    const out: RenderedField[] = [];
    for (const raw of specs) out.push(...(await this.renderField(this.expandRef(raw), scope)));
    return out;
  }

  private async renderGroup(spec: FieldSpec, scope: Scope): Promise<RenderedField[]> {
    const groupPath = spec.path === undefined ? scope.base : resolveRelative(parsePath(spec.path), scope.base);
    const groupMatches = spec.path === undefined ? [{ indices: scope.bindings }] : resolveDataPath(this.args, groupPath, scope.bindings);
    const perChild: RenderedField[][] = [];
    for (const child of spec.fields ?? []) {
      const rendered: RenderedField[] = [];
      for (const m of groupMatches) {
        rendered.push(...(await this.renderField(this.expandRef(child), { base: groupPath, bindings: m.indices })));
      }
      perChild.push(rendered);
    }
    if (spec.iteration !== "bundled") return perChild.flat();
    const out: RenderedField[] = [];
    const longest = Math.max(0, ...perChild.map((l) => l.length));
    for (let i = 0; i < longest; i++) {
      for (const list of perChild) {
        const entry = list[i];
        if (entry) out.push(entry);
      }
    }
    return out;
  }

  private async renderField(spec: FieldSpec, scope: Scope): Promise<RenderedField[]> {
    const visibility = visibilityOf(spec);
    if (visibility.kind === "never") return [];
    if (spec.fields) return this.renderGroup(spec, scope);
    const label = spec.label ?? "";
    if (spec.path === undefined) {
      if (spec.value === undefined) throw new DescriptorError(`field "${label}" has neither path nor value`);
      const node = this.param(spec.value, scope);
      if (!node) throw new DescriptorError(`field "${label}" has an empty value`);
      return [{ label, value: await this.formatField(spec, node, scope) }];
    }
    const path = parsePath(spec.path);
    if (this.isExcluded(path, scope.base)) return [];
    const out: RenderedField[] = [];
    for (const match of this.matches(spec.path, scope)) {
      if (visibility.kind === "ifNotIn" || visibility.kind === "mustMatch") {
        const text = rawText(match.node).toLowerCase();
        const listed = visibility.values.includes(text);
        if (visibility.kind === "mustMatch") {
          if (!listed) throw new FieldFormatError(`field "${label}" value ${text} is not one of the values it must match`);
          continue;
        }
        if (listed) continue;
      }
      out.push({ label, value: await this.formatField(spec, match.node, { base: scope.base, bindings: match.indices }) });
    }
    return out;
  }

  // ---- formats --------------------------------------------------------------------------------

  private async formatField(spec: FieldSpec, node: ValueNode, scope: Scope): Promise<string | RenderedOutput> {
    const params: JsonObject = spec.params ?? {};
    const label = spec.label ?? "";
    const { provider } = this.options;
    const chainId = this.container.chainId;
    if (spec.encryption) {
      const fallback = spec.encryption.fallbackLabel;
      return typeof fallback === "string" ? fallback : "[Encrypted]";
    }
    switch (spec.format ?? "raw") {
      case "raw":
        return rawText(node);
      case "addressName":
      case "interoperableAddressName": {
        const sources = Array.isArray(params.sources) ? params.sources.filter((s): s is string => typeof s === "string") : undefined;
        const senderAddresses = this.paramList(params.senderAddress, scope).map(toAddress);
        return formatAddressName(provider, toAddress(node), { chainId, sources, senderAddresses });
      }
      case "tokenTicker": {
        const token = toAddress(node);
        const info = await provider.token(this.chainParam(params, scope), token);
        return info ? info.symbol : token;
      }
      case "amount":
        return formatNativeAmount(chainId, toBigInt(node));
      case "tokenAmount":
        return this.formatTokenAmountField(label, node, params, scope);
      case "nftName": {
        const collection = this.paramOrPath(params, "collection", scope);
        const id = toBigInt(node);
        const name = collection ? await provider.nftCollectionName(chainId, toAddress(collection)) : undefined;
        return name ? `${name} #${id}` : id.toString();
      }
      case "date": {
        const value = toBigInt(node);
        if (params.encoding === "blockheight") {
          const ts = await provider.blockTimestamp(chainId, value);
          return ts === undefined ? value.toString() : formatTimestamp(ts);
        }
        return formatTimestamp(value);
      }
      case "duration":
        return formatDuration(toBigInt(node));
      case "unit": {
        const decimals = typeof params.decimals === "number" ? params.decimals : 0;
        const base = typeof params.base === "string" ? params.base : "";
        return formatUnit(toBigInt(node), base, decimals, params.prefix === true);
      }
      case "enum": {
        const ref = params.$ref;
        if (typeof ref !== "string") throw new DescriptorError(`enum field "${label}" has no $ref`);
        return formatEnum(this.constantAt(parsePath(ref), ref), toBigInt(node));
      }
      case "chainId":
        return formatChainId(toBigInt(node));
      case "calldata":
        return this.formatNestedCall(label, node, params, scope);
      default:
        throw new FieldFormatError(`field "${label}" has unsupported format "${spec.format}"`);
    }
  }

  private chainParam(params: JsonObject, scope: Scope): number {
    const node = this.paramOrPath(params, "chainId", scope);
    return node ? Number(toBigInt(node)) : this.container.chainId;
  }

  private async formatTokenAmountField(label: string, node: ValueNode, params: JsonObject, scope: Scope): Promise<string> {
    const tokenNode = this.paramOrPath(params, "token", scope);
    const token = tokenNode ? toAddress(tokenNode) : undefined;
    const thresholdNode = this.param(params.threshold, scope);
    const message = this.param(params.message, scope);
    const result = await formatTokenAmount(this.options.provider, toBigInt(node), {
      chainId: this.chainParam(params, scope),
      token,
      nativeCurrencyAddresses: this.paramList(params.nativeCurrencyAddress, scope).map(toAddress),
      threshold: thresholdNode ? toBigInt(thresholdNode) : undefined,
      message: message ? rawText(message) : undefined,
    });
    if (!result.tokenKnown) this.diagnostics.push({ kind: "unknown-token", label, token });
    return result.text;
  }

  private async formatNestedCall(label: string, node: ValueNode, params: JsonObject, scope: Scope): Promise<string | RenderedOutput> {
    let data = toBytes(node);
    const selectorNode = this.paramOrPath(params, "selector", scope);
    if (selectorNode) data = concatHex([toBytes(selectorNode), data]);
    const calleeNode = this.paramOrPath(params, "callee", scope);
    if (!calleeNode) throw new DescriptorError(`calldata field "${label}" has no callee or calleePath`);
    const callee = toAddress(calleeNode);
    const amountNode = this.paramOrPath(params, "amount", scope);
    const spenderNode = this.paramOrPath(params, "spender", scope);
    const inner: CalldataInput = {
      chainId: this.container.chainId,
      to: callee,
      value: amountNode ? toBigInt(amountNode) : 0n,
      from: spenderNode ? toAddress(spenderNode) : this.container.from,
      data,
    };
    const unresolved = (reason: string): string => {
      this.diagnostics.push({ kind: "unresolved-nested-call", label, callee, reason });
      return data;
    };
    if (data.length < 10) return unresolved("calldata shorter than a selector");
    if (this.depth + 1 > this.options.maxDepth) return unresolved("nesting too deep");
    const descriptor = this.options.lookup?.find(inner.chainId, callee, sliceHex(data, 0, 4), inner.from);
    if (!descriptor) return unresolved("no descriptor for the callee");
    try {
      const result = await this.options.renderNested(descriptor, inner, this.depth + 1);
      this.diagnostics.push(...result.diagnostics);
      return result.output;
    } catch (error) {
      if (!(error instanceof ClearSignError)) throw error;
      return unresolved(error.message);
    }
  }

  // ---- interpolated intent ----------------------------------------------------------------------

  private async interpolate(template: string): Promise<string> {
    let out = "";
    for (const part of parseInterpolation(template)) {
      if (part.kind === "text") {
        out += part.text;
        continue;
      }
      const parsed = parsePath(part.path);
      const absolute = parsed.root === "@" || parsed.root === "$" ? parsed : resolveRelative(parsed, ROOT);
      const indexed = this.specIndex.get(pathKey(absolute));
      const scope: Scope = { base: indexed?.base ?? ROOT, bindings: new Map() };
      const values: string[] = [];
      for (const { node, indices } of this.resolveMatches(absolute, scope, part.path)) {
        const formatted = indexed ? await this.formatField(indexed.spec, node, { base: scope.base, bindings: indices }) : rawText(node);
        if (typeof formatted !== "string") throw new FieldFormatError(`cannot interpolate nested call "${part.path}"`);
        values.push(formatted);
      }
      out += values.join(", ");
    }
    return out;
  }
}

function intentText(intent: string | Record<string, string> | undefined): string {
  if (intent === undefined) return "";
  if (typeof intent === "string") return intent;
  return Object.entries(intent)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}

