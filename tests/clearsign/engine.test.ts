import { getAddress, sliceHex, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { StaticDataProvider } from "@/lib/clearsign/data-provider";
import { callFromRawTransaction, renderCall, renderCallDetailed } from "@/lib/clearsign/engine";
import { DecodeError, DescriptorError, FieldFormatError, FormatNotFoundError, PathError } from "@/lib/clearsign/errors";
import { DescriptorRegistry } from "@/lib/clearsign/registry";
import type { CalldataInput, Descriptor } from "@/lib/clearsign/types";
import { ALICE, BOB, CONTRACT, TOKEN, calldata, makeDescriptor } from "./helpers";

const provider = new StaticDataProvider({
  tokens: { [TOKEN.toLowerCase()]: { symbol: "TKN", decimals: 6, name: "Token" } },
  addressNames: { [BOB.toLowerCase()]: "Bob (address book)" },
  ensNames: { [ALICE.toLowerCase()]: "alice.eth", [BOB.toLowerCase()]: "bob.eth" },
  nftCollectionNames: { [TOKEN.toLowerCase()]: "Punks" },
  blockTimestamps: { "100": 1_700_000_000 },
});

function input(data: `0x${string}`, extra: Partial<CalldataInput> = {}): CalldataInput {
  return { chainId: 1, to: CONTRACT, value: 0n, data, ...extra };
}

async function fieldsOf(descriptor: Descriptor, data: `0x${string}`, extra: Partial<CalldataInput> = {}) {
  return (await renderCall(descriptor, input(data, extra), { provider })).fields;
}

describe("raw and addressName formats", () => {
  const d = makeDescriptor({
    "f(bool flag, bytes blob, string note, int256 delta, address who, bytes32 id)": {
      intent: "Raw things",
      fields: [
        { path: "flag", label: "Flag" },
        { path: "blob", label: "Blob", format: "raw" },
        { path: "note", label: "Note", format: "raw" },
        { path: "delta", label: "Delta", format: "raw" },
        { path: "who", label: "Who", format: "raw" },
        { path: "id", label: "Id", format: "raw" },
      ],
    },
    "g(address a, address b, address c)": {
      intent: "Names",
      fields: [
        { path: "a", label: "A", format: "addressName" },
        { path: "b", label: "B", format: "addressName", params: { sources: ["ens"] } },
        { path: "c", label: "C", format: "addressName", params: { senderAddress: "$.metadata.constants.zero" } },
      ],
    },
  }, { constants: { zero: "0x0000000000000000000000000000000000000000" } });

  it("renders bool, bytes, string, negative int, checksummed address and bytes32", async () => {
    const id = toHex(7n, { size: 32 });
    const fields = await fieldsOf(d, calldata("f(bool flag, bytes blob, string note, int256 delta, address who, bytes32 id)", [false, "0xC0FFEE", "hi there", -5n, ALICE.toLowerCase(), id]));
    expect(fields).toEqual([
      { label: "Flag", value: "false" },
      { label: "Blob", value: "0xc0ffee" },
      { label: "Note", value: "hi there" },
      { label: "Delta", value: "-5" },
      { label: "Who", value: getAddress(ALICE) },
      { label: "Id", value: id },
    ]);
  });

  it("escapes control and bidirectional-override characters in calldata strings", async () => {
    const fields = await fieldsOf(d, calldata("f(bool flag, bytes blob, string note, int256 delta, address who, bytes32 id)", [true, "0x", "pay\u202Eevil\n", 0n, ALICE, toHex(0n, { size: 32 })]));
    expect(fields[2]).toEqual({ label: "Note", value: "pay\\u{202e}evil\\u{a}" });
  });

  it("prefers local names, honours sources, and shows the sender placeholder as Sender", async () => {
    const zero = "0x0000000000000000000000000000000000000000";
    expect(await fieldsOf(d, calldata("g(address a, address b, address c)", [BOB, BOB, zero]))).toEqual([
      { label: "A", value: "Bob (address book)" },
      { label: "B", value: "bob.eth" },
      { label: "C", value: "Sender" },
    ]);
    const unnamed = "0x00000000000000000000000000000000000000aa";
    const rendered = await fieldsOf(d, calldata("g(address a, address b, address c)", [ALICE, unnamed, unnamed]));
    expect(rendered.map((f) => f.value)).toEqual(["alice.eth", getAddress(unnamed), getAddress(unnamed)]);
  });
});

describe("amount formats", () => {
  const d = makeDescriptor({
    "pay(address token, uint256 amount, uint256 cap)": {
      intent: "Pay",
      fields: [
        { path: "amount", label: "Amount", format: "tokenAmount", params: { tokenPath: "token" } },
        { path: "cap", label: "Cap", format: "tokenAmount", params: { tokenPath: "token", threshold: "$.metadata.constants.max" } },
        { path: "cap", label: "Cap (msg)", format: "tokenAmount", params: { token: TOKEN, threshold: 1000, message: "Everything" } },
        { path: "amount", label: "Native", format: "tokenAmount", params: { tokenPath: "token", nativeCurrencyAddress: ["$.metadata.constants.eth"] } },
        { path: "@.value", label: "Value", format: "amount" },
      ],
    },
  }, { constants: { max: "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", eth: "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE" } });
  const sig = "pay(address token, uint256 amount, uint256 cap)";
  const max = (1n << 256n) - 1n;

  it("scales by token decimals and applies thresholds", async () => {
    const { output, diagnostics } = await renderCallDetailed(d, input(calldata(sig, [TOKEN, 1_234_500n, max]), { value: 10n ** 17n }), { provider });
    expect(output.fields).toEqual([
      { label: "Amount", value: "1.2345 TKN" },
      { label: "Cap", value: "Unlimited TKN" },
      { label: "Cap (msg)", value: "Everything TKN" },
      { label: "Native", value: "1.2345 TKN" },
      { label: "Value", value: "0.1 ETH" },
    ]);
    expect(diagnostics).toEqual([]);
  });

  it("falls back to the raw integer for unknown tokens and reports it", async () => {
    const unknown = "0x00000000000000000000000000000000000000bb";
    const { output, diagnostics } = await renderCallDetailed(d, input(calldata(sig, [unknown, 5n, 7n])), { provider });
    expect(output.fields.slice(0, 2)).toEqual([
      { label: "Amount", value: "5" },
      { label: "Cap", value: "7" },
    ]);
    expect(diagnostics).toContainEqual({ kind: "unknown-token", label: "Amount", token: getAddress(unknown) });
  });

  it("treats native-currency placeholder addresses as the chain's currency", async () => {
    const eth = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE";
    const fields = await fieldsOf(d, calldata(sig, [eth, 25n * 10n ** 16n, 0n]));
    expect(fields[3]).toEqual({ label: "Native", value: "0.25 ETH" });
  });

  it("uses the chain's native currency symbol", async () => {
    const onBsc = { ...d, context: { contract: { deployments: [{ chainId: 56, address: CONTRACT }] } } } as Descriptor;
    const out = await renderCall(onBsc, input(calldata(sig, [TOKEN, 0n, 0n]), { chainId: 56, value: 2n * 10n ** 18n }), { provider });
    expect(out.fields.at(-1)).toEqual({ label: "Value", value: "2 BNB" });
  });
});

describe("date, duration, unit, enum, chainId and nftName formats", () => {
  const d = makeDescriptor({
    "h(uint256 ts, uint256 block, uint256 secs, uint256 bps, uint256 watts, uint8 mode, uint256 chain, uint256 tokenId)": {
      intent: "Misc",
      fields: [
        { path: "ts", label: "When", format: "date", params: { encoding: "timestamp" } },
        { path: "block", label: "Block time", format: "date", params: { encoding: "blockheight" } },
        { path: "secs", label: "Lock", format: "duration" },
        { path: "bps", label: "Fee", format: "unit", params: { base: "%", decimals: 2 } },
        { path: "watts", label: "Power", format: "unit", params: { base: "W", decimals: 0, prefix: true } },
        { path: "mode", label: "Mode", format: "enum", params: { $ref: "$.metadata.enums.mode" } },
        { path: "chain", label: "Chain", format: "chainId" },
        { path: "tokenId", label: "NFT", format: "nftName", params: { collection: TOKEN } },
      ],
    },
  }, { enums: { mode: { "1": "stable", "2": "variable" } } });
  const sig = "h(uint256 ts, uint256 block, uint256 secs, uint256 bps, uint256 watts, uint8 mode, uint256 chain, uint256 tokenId)";

  it("formats each value", async () => {
    const fields = await fieldsOf(d, calldata(sig, [1_782_897_536n, 100n, 90_061n, 1_250n, 1_500_000n, 2, 8453n, 42n]));
    expect(fields.map((f) => f.value)).toEqual([
      "2026-07-01 09:18:56Z",
      "2023-11-14 22:13:20Z",
      "25:01:01",
      "12.5%",
      "1.5MW",
      "variable",
      "Base",
      "Punks #42",
    ]);
  });

  it("falls back to raw values when lookups miss", async () => {
    const fields = await fieldsOf(d, calldata(sig, [0n, 101n, 0n, 0n, 999n, 9, 424242424242n, 1n]));
    expect(fields.map((f) => f.value)).toEqual(["1970-01-01 00:00:00Z", "101", "00:00:00", "0%", "999W", "9", "424242424242", "Punks #1"]);
  });
});

describe("paths", () => {
  it("slices the 32-byte word of integers and the raw bytes of byte strings", async () => {
    const d = makeDescriptor({
      "s(uint256 packed, bytes blob, uint256 traits)": {
        intent: "Slices",
        fields: [
          { path: "packed.[-20:]", label: "Packed address", format: "addressName" },
          { path: "blob.[2:4]", label: "Middle", format: "raw" },
          { path: "blob.[-1]", label: "Last byte", format: "raw" },
          { path: "traits.[:1]", label: "Top byte", format: "enum", params: { $ref: "$.metadata.enums.top" } },
          { path: "@.to.[-2:]", label: "To tail", format: "raw" },
        ],
      },
    }, { enums: { top: { "64": "Unwrap" } } });
    const packed = (0xabcdn << 160n) | BigInt(ALICE);
    const fields = await fieldsOf(d, calldata("s(uint256 packed, bytes blob, uint256 traits)", [packed, "0x0102030405", 1n << 254n]));
    expect(fields).toEqual([
      { label: "Packed address", value: "alice.eth" },
      { label: "Middle", value: "0x0304" },
      { label: "Last byte", value: "0x05" },
      { label: "Top byte", value: "Unwrap" },
      { label: "To tail", value: "0x1111" },
    ]);
  });

  it("iterates arrays with [], keeps parameter paths in step, and supports negative indexes and array slices", async () => {
    const sig = "batch((address token, uint256 amount)[] legs, uint256[] ids)";
    const d = makeDescriptor({
      [sig]: {
        intent: "Batch",
        interpolatedIntent: "Move {legs.[].amount}",
        fields: [
          { path: "legs.[].amount", label: "Leg", format: "tokenAmount", params: { tokenPath: "legs.[].token" } },
          { path: "ids.[-1]", label: "Last id" },
          { path: "ids.[0:2]", label: "First ids" },
        ],
      },
    });
    const other = "0x00000000000000000000000000000000000000cc";
    const out = await renderCall(d, input(calldata(sig, [[{ token: TOKEN, amount: 2_000_000n }, { token: other, amount: 3n }], [5n, 6n, 7n]])), { provider });
    expect(out.fields).toEqual([
      { label: "Leg", value: "2 TKN" },
      { label: "Leg", value: "3" },
      { label: "Last id", value: "7" },
      { label: "First ids", value: "5" },
      { label: "First ids", value: "6" },
    ]);
    expect(out.interpolatedIntent).toBe("Move 2 TKN, 3");
  });

  it("orders field groups sequentially by default and interleaves them when bundled", async () => {
    const sig = "grp(uint256[] xs, uint256[] ys)";
    const group = (iteration?: "bundled") => makeDescriptor({
      [sig]: {
        intent: "Group",
        fields: [{ path: "#", ...(iteration ? { iteration } : {}), fields: [{ path: "xs.[]", label: "X" }, { path: "ys.[]", label: "Y" }] }],
      },
    });
    const data = calldata(sig, [[1n, 2n], [3n, 4n]]);
    expect((await fieldsOf(group(), data)).map((f) => `${f.label}${f.value}`)).toEqual(["X1", "X2", "Y3", "Y4"]);
    expect((await fieldsOf(group("bundled"), data)).map((f) => `${f.label}${f.value}`)).toEqual(["X1", "Y3", "X2", "Y4"]);
  });

  it("resolves relative parameter paths inside a field group", async () => {
    const sig = "swap((address src, uint256 amount) data)";
    const d = makeDescriptor({
      [sig]: { intent: "Swap", fields: [{ path: "#.data", fields: [{ path: "amount", label: "Send", format: "tokenAmount", params: { tokenPath: "src" } }] }] },
    });
    expect(await fieldsOf(d, calldata(sig, [{ src: TOKEN, amount: 10n ** 6n }]))).toEqual([{ label: "Send", value: "1 TKN" }]);
  });

  it("reports an unknown parameter and a missing sender", async () => {
    const d = makeDescriptor({
      "one(uint256 a)": { intent: "One", fields: [{ path: "b", label: "B" }] },
      "two(uint256 a)": { intent: "Two", fields: [{ path: "@.from", label: "From" }] },
    });
    await expect(renderCall(d, input(calldata("one(uint256 a)", [1n])))).rejects.toThrow(PathError);
    await expect(renderCall(d, input(calldata("two(uint256 a)", [1n])))).rejects.toThrow(/@.from/);
  });
});

describe("visibility, definitions, constants and maps", () => {
  const sig = "v(uint256 a, uint256 b, uint256 c, address d, uint256 e)";
  const d = makeDescriptor(
    {
      [sig]: {
        intent: "Visibility",
        excluded: ["e"],
        fields: [
          { path: "a", label: "Hidden", visible: "never" },
          { path: "b", label: "Only if not zero", visible: { ifNotIn: ["0"] } },
          { path: "c", label: "Must be one", visible: { mustMatch: [1] } },
          { path: "d", $ref: "$.display.definitions.who", params: { sources: ["local"] } },
          { label: "Constant", value: "$.metadata.constants.greeting" },
          { label: "Mapped", value: { map: "$.metadata.maps.names", keyPath: "b" } },
          { path: "e", label: "Excluded" },
        ],
      },
    },
    { constants: { greeting: "hello" }, maps: { names: { values: { "0": "zero", "5": "five" } } } },
    { display: { definitions: { who: { label: "Who", format: "addressName", params: { sources: ["ens"] } } } } },
  );

  it("hides never/excluded fields, filters ifNotIn, checks mustMatch, merges definitions", async () => {
    const fields = await fieldsOf(d, calldata(sig, [1n, 0n, 1n, BOB, 9n]));
    expect(fields).toEqual([
      { label: "Who", value: "Bob (address book)" },
      { label: "Constant", value: "hello" },
      { label: "Mapped", value: "zero" },
    ]);
    const shown = await fieldsOf(d, calldata(sig, [1n, 5n, 1n, BOB, 9n]));
    expect(shown.slice(0, 1)).toEqual([{ label: "Only if not zero", value: "5" }]);
    expect(shown.at(-1)).toEqual({ label: "Mapped", value: "five" });
  });

  it("checks that v1 required paths have a visible field", async () => {
    const sig2 = "r(uint256 a, uint256 b)";
    const withRequired = (required: string[]) =>
      makeDescriptor({ [sig2]: { intent: "Req", required, fields: [{ path: "a", label: "A" }, { path: "b", label: "B", visible: "never" }] } });
    const data = calldata(sig2, [1n, 2n]);
    expect(await fieldsOf(withRequired(["a", "#.a"]), data)).toEqual([{ label: "A", value: "1" }]);
    await expect(renderCall(withRequired(["b"]), input(data))).rejects.toThrow(/required field "b"/);
    await expect(renderCall(withRequired(["c"]), input(data))).rejects.toThrow(DescriptorError);
  });

  it("rejects a value that breaks mustMatch", async () => {
    await expect(renderCall(d, input(calldata(sig, [1n, 0n, 2n, BOB, 9n])), { provider })).rejects.toThrow(FieldFormatError);
  });
});

describe("interpolatedIntent", () => {
  const sig = "send(address to, uint256 amount)";
  const make = (template: string) =>
    makeDescriptor({
      [sig]: {
        intent: "Send",
        interpolatedIntent: template,
        fields: [
          { path: "amount", label: "Amount", format: "tokenAmount", params: { token: TOKEN } },
          { path: "to", label: "To", format: "addressName" },
        ],
      },
    });
  const data = calldata(sig, [ALICE, 3_500_000n]);

  it("fills placeholders with formatted values, raw values for unlisted paths and literal braces", async () => {
    const out = await renderCall(make("Send {amount} to {to} ({{raw {#.amount}}} at {@.to})"), input(data), { provider });
    expect(out.interpolatedIntent).toBe(`Send 3.5 TKN to alice.eth ({raw 3.5 TKN} at ${getAddress(CONTRACT)})`);
  });

  it("omits interpolatedIntent when a placeholder does not resolve", async () => {
    const out = await renderCall(make("Send {nothing}"), input(data), { provider });
    expect(out).not.toHaveProperty("interpolatedIntent");
    expect(out.intent).toBe("Send");
  });
});

describe("format keys, bindings and errors", () => {
  it("binds v1 keys by selector or bare name through context.contract.abi", async () => {
    const abi = [
      { type: "function", name: "transfer", stateMutability: "nonpayable", inputs: [{ name: "to", type: "address" }, { name: "value", type: "uint256" }], outputs: [] },
      { type: "function", name: "burn", stateMutability: "nonpayable", inputs: [{ name: "value", type: "uint256" }], outputs: [] },
    ];
    const d = {
      context: { contract: { abi, deployments: [{ chainId: 1, address: CONTRACT }] } },
      metadata: { owner: "v1" },
      display: {
        formats: {
          "0xa9059cbb": { intent: "Transfer", fields: [{ path: "value", label: "Value" }] },
          burn: { intent: "Burn", fields: [{ path: "value", label: "Value" }] },
        },
      },
    } as unknown as Descriptor;
    expect((await renderCall(d, input(calldata("transfer(address to, uint256 value)", [BOB, 3n])))).fields).toEqual([{ label: "Value", value: "3" }]);
    expect((await renderCall(d, input(calldata("burn(uint256 value)", [4n])))).intent).toBe("Burn");
  });

  it("refuses calls to other deployments, unknown selectors and undecodable calldata", async () => {
    const d = makeDescriptor({ "ping(uint256 n)": { intent: "Ping", fields: [] } });
    const data = calldata("ping(uint256 n)", [1n]);
    await expect(renderCall(d, input(data, { to: BOB }))).rejects.toThrow(DescriptorError);
    await expect(renderCall(d, input(data, { chainId: 10 }))).rejects.toThrow(DescriptorError);
    await expect(renderCall(d, input(calldata("pong(uint256 n)", [1n])))).rejects.toThrow(FormatNotFoundError);
    await expect(renderCall(d, input(sliceHex(data, 0, 20)))).rejects.toThrow(DecodeError);
    await expect(renderCall(d, input("0x12"))).rejects.toThrow(DecodeError);
  });

  it("rejects unsupported formats", async () => {
    const d = makeDescriptor({ "ping(uint256 n)": { intent: "Ping", fields: [{ path: "n", label: "N", format: "sparkles" }] } });
    await expect(renderCall(d, input(calldata("ping(uint256 n)", [1n])))).rejects.toThrow(/unsupported format "sparkles"/);
  });

  it("decodes raw transactions and refuses contract creations and garbage", () => {
    expect(() => callFromRawTransaction("0x1234")).toThrow(DecodeError);
    expect(() => callFromRawTransaction("not hex")).toThrow(DecodeError);
  });
});

describe("nested calldata", () => {
  const inner = {
    context: { $id: "inner", contract: { deployments: [{ chainId: 1, address: BOB }] } },
    metadata: { owner: "Inner Co" },
    display: {
      formats: {
        "poke(uint256 n)": {
          intent: "Poke",
          interpolatedIntent: "Poke {n}",
          fields: [
            { path: "n", label: "N" },
            { path: "@.value", label: "Paid", format: "amount" },
            { path: "@.from", label: "Caller", format: "raw" },
          ],
        },
      },
    },
  } as Descriptor;
  const sig = "exec(address target, uint256 amount, bytes data)";
  const outer = makeDescriptor({
    [sig]: {
      intent: "Execute",
      fields: [{ path: "data", label: "Call", format: "calldata", params: { calleePath: "target", amountPath: "amount", spenderPath: "@.to" } }],
    },
    "execSel(address target, bytes4 sel, bytes args)": {
      intent: "Execute with selector",
      fields: [{ path: "args", label: "Call", format: "calldata", params: { calleePath: "target", selectorPath: "sel" } }],
    },
  });
  const lookup = new DescriptorRegistry("registry", [{ id: "inner", descriptor: inner }]);

  it("renders the inner call with its own descriptor and container values", async () => {
    const data = calldata(sig, [BOB, 10n ** 18n, calldata("poke(uint256 n)", [9n])]);
    const out = await renderCall(outer, input(data, { from: ALICE }), { provider, lookup });
    expect(out.fields).toEqual([
      {
        label: "Call",
        value: {
          intent: "Poke",
          owner: "Inner Co",
          fields: [
            { label: "N", value: "9" },
            { label: "Paid", value: "1 ETH" },
            { label: "Caller", value: getAddress(CONTRACT) },
          ],
          interpolatedIntent: "Poke 9",
        },
      },
    ]);
  });

  it("prepends a selector given by selectorPath", async () => {
    const pokeData = calldata("poke(uint256 n)", [3n]);
    const data = calldata("execSel(address target, bytes4 sel, bytes args)", [BOB, sliceHex(pokeData, 0, 4), sliceHex(pokeData, 4)]);
    const out = await renderCall(outer, input(data, { from: ALICE }), { provider, lookup });
    const nested = out.fields[0]?.value;
    expect(typeof nested === "object" && nested.fields[0]).toEqual({ label: "N", value: "3" });
  });

  it("falls back to the raw calldata when the callee has no descriptor", async () => {
    const innerData = calldata("poke(uint256 n)", [9n]);
    const data = calldata(sig, [ALICE, 0n, innerData]);
    const { output, diagnostics } = await renderCallDetailed(outer, input(data), { provider, lookup });
    expect(output.fields).toEqual([{ label: "Call", value: innerData }]);
    expect(diagnostics).toEqual([{ kind: "unresolved-nested-call", label: "Call", callee: getAddress(ALICE), reason: "no descriptor for the callee" }]);
  });
});
