import { describe, expect, it } from "vitest";
import { backtest } from "@/lib/policy/backtest";
import { compileRules } from "@/lib/policy/rules";
import { historyItemFromRow, requestFromJson, requestToJson, requestView } from "@/lib/policy/history";
import type { PolicyRequest, TypedDataRequest } from "@/lib/policy/types";
import { ALICE, BOB, MAX_UINT256, ROUTER, USDC, approveData, eth, ethTx, tokenTx, transferData, transferFromData } from "./fixtures";

const AT = new Date("2026-06-10T12:00:00Z");

const permit: TypedDataRequest = {
  kind: "typed_data",
  chainId: 1,
  typedData: {
    domain: { name: "USD Coin", version: "2", chainId: 1n, verifyingContract: USDC },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner: ALICE, spender: ROUTER, value: 5_000_000n, nonce: 0n, deadline: 1_800_000_000n },
  },
};

/** What JSON.stringify / the JSON column would hand back. */
function stored(request: PolicyRequest): unknown {
  return JSON.parse(JSON.stringify(requestToJson(request)));
}

describe("signing history rows → PolicyRequest / HistoryItem (pure)", () => {
  it("round-trips every request kind through the stored JSON form (bigints as decimal strings)", () => {
    const tx = ethTx(BOB, eth("1.5"), { data: "0x" });
    const json = requestToJson(tx) as Record<string, unknown>;
    expect(json.value).toBe("1500000000000000000");
    expect(requestFromJson(stored(tx))).toEqual(tx);

    const msg: PolicyRequest = { kind: "message", message: "hello" };
    expect(requestFromJson(stored(msg))).toEqual(msg);
    const raw: PolicyRequest = { kind: "message", chainId: 5, message: { raw: "0xdeadbeef" } };
    expect(requestFromJson(stored(raw))).toEqual(raw);

    const back = requestFromJson(stored(permit)) as TypedDataRequest;
    expect(back.typedData.domain.chainId).toBe(1);
    expect(back.typedData.message.value).toBe("5000000");
    // The revived permit decodes to the same token action as the original.
    expect(requestView(back).token).toEqual({ address: USDC, amount: "5000000" });
  });

  it("accepts a transaction stored without value or data, and chainId as a decimal string", () => {
    expect(requestFromJson({ kind: "transaction", chainId: "31337", to: BOB })).toEqual({ kind: "transaction", chainId: 31337, to: BOB, value: 0n, data: "0x" });
    expect(requestFromJson({ kind: "transaction", chainId: 1, to: null, value: "0x10", data: "0x6080" })).toMatchObject({ to: null, value: 16n });
  });

  it("rejects malformed stored requests with a message naming the problem", () => {
    expect(() => requestFromJson(null)).toThrow("request must be an object");
    expect(() => requestFromJson({ kind: "tool_call" })).toThrow('unsupported request kind "tool_call"');
    expect(() => requestFromJson({ kind: "transaction", to: BOB })).toThrow("chainId is required");
    expect(() => requestFromJson({ kind: "transaction", chainId: 1, to: BOB, value: "-1" })).toThrow("value must be a non-negative decimal string");
    expect(() => requestFromJson({ kind: "message", message: 42 })).toThrow("message must be text");
    expect(() => requestFromJson({ kind: "typed_data", typedData: { types: {} } })).toThrow("typedData must have");
  });

  it("turns a row into a HistoryItem with decisionThen = the recorded outcome, and reports rows it cannot replay", () => {
    const ok = historyItemFromRow({ id: "r1", kind: "transaction", request: stored(ethTx(BOB, 5n)), outcome: "deny", createdAt: AT });
    expect(ok).toMatchObject({ ok: true, item: { id: "r1", at: AT, decisionThen: "deny", request: { kind: "transaction", to: BOB, value: 5n } } });

    expect(historyItemFromRow({ id: "r2", kind: "tool_call", request: {}, outcome: "allow", createdAt: AT })).toEqual({ ok: false, id: "r2", reason: 'kind "tool_call" is not replayed' });
    expect(historyItemFromRow({ id: "r3", kind: "transaction", request: stored(ethTx(BOB, 5n)), outcome: "maybe", createdAt: AT })).toEqual({ ok: false, id: "r3", reason: 'unknown outcome "maybe"' });
    const badTo = historyItemFromRow({ id: "r4", kind: "transaction", request: { kind: "transaction", chainId: 1, to: "0x1234" }, outcome: "allow", createdAt: AT });
    expect(badTo).toEqual({ ok: false, id: "r4", reason: "to is not an address: 0x1234" });
    const mismatch = historyItemFromRow({ id: "r5", kind: "message", request: stored(ethTx(BOB, 1n)), outcome: "allow", createdAt: AT });
    expect(mismatch.ok).toBe(false);
  });

  it("rows feed backtest directly", () => {
    const rows = [
      { id: "a", kind: "transaction", request: stored(ethTx(BOB, eth("2"))), outcome: "allow", createdAt: new Date(AT.getTime()) },
      { id: "b", kind: "transaction", request: stored(ethTx(ALICE, eth("0.1"))), outcome: "allow", createdAt: new Date(AT.getTime() + 1000) },
    ];
    const history = rows.map(historyItemFromRow).flatMap((r) => (r.ok ? [r.item] : []));
    const draft = { id: "d", version: 2, rules: compileRules({ version: 1, defaultAction: "allow", rules: [{ id: "big", when: { field: "value", op: "gt", value: "1 ETH" }, action: "deny" }] }) };
    const result = backtest({ history, draft, policies: [] });
    expect(result.items.map((i) => [i.id, i.now, i.matchedRuleId])).toEqual([["a", "deny", "big"], ["b", "allow", null]]);
    expect(result.summary).toEqual({ total: 2, changed: 1, allowToDeny: 1, denyToAllow: 0, toApproval: 0, fromApproval: 0 });
  });
});

describe("requestView: a readable line per request", () => {
  const usdc = (address: string) => (address === USDC ? { address: USDC, symbol: "USDC", decimals: 6 } : undefined);

  it("describes native sends, token movements, approvals, calls and deployments", () => {
    expect(requestView(ethTx(BOB, eth("1.5")))).toEqual({
      kind: "transaction", to: BOB, value: "1500000000000000000", selector: null, token: null, summary: "Send 1.5 ETH to 0x2222…2222",
    });
    expect(requestView(ethTx(BOB, eth("1")), { nativeSymbol: "POL" }).summary).toBe("Send 1.0 POL to 0x2222…2222");

    const transfer = requestView(tokenTx(USDC, transferData(ALICE, 250_500_000n)), { tokenInfo: usdc });
    expect(transfer).toMatchObject({ to: USDC, selector: "0xa9059cbb", token: { address: USDC, symbol: "USDC", amount: "250500000" }, summary: "Transfer 250.5 USDC to 0x1111…1111" });
    // Without metadata the amount stays in base units and the token has no symbol.
    const plain = requestView(tokenTx(USDC, transferData(ALICE, 7n)));
    expect(plain.token).toEqual({ address: USDC, amount: "7" });
    expect(plain.summary).toBe("Transfer 7 base units of 0xA0b8…eB48 to 0x1111…1111");

    expect(requestView(tokenTx(USDC, transferFromData(ALICE, BOB, 1_000_000n)), { tokenInfo: usdc }).summary).toBe("Transfer 1.0 USDC from 0x1111…1111 to 0x2222…2222");
    expect(requestView(tokenTx(USDC, approveData(ROUTER, MAX_UINT256)), { tokenInfo: usdc }).summary).toBe("Approve 0x5555…5555 to spend unlimited USDC");
    expect(requestView(ethTx(ROUTER, eth("0.5"), { data: "0x12345678aa" })).summary).toBe("Call 0x12345678 on 0x5555…5555 with 0.5 ETH");
    expect(requestView(tokenTx(USDC, "0xa9059cbb00")).summary).toBe("Call 0xa9059cbb (undecodable calldata) on 0xA0b8…eB48");
    expect(requestView({ kind: "transaction", chainId: 1, to: null, value: 0n, data: "0x6080" }).summary).toBe("Deploy a contract");
  });

  it("describes messages and typed data", () => {
    expect(requestView({ kind: "message", message: "Sign in to Example\nnonce: 1" })).toEqual({
      kind: "message", to: null, value: "0", selector: null, token: null, summary: 'Sign message "Sign in to Example nonce: 1"',
    });
    expect(requestView({ kind: "message", message: "x".repeat(100) }).summary).toBe(`Sign message "${"x".repeat(59)}…"`);
    expect(requestView({ kind: "message", message: { raw: "0xdeadbeef" } }).summary).toBe("Sign raw message (4 bytes)");
    expect(requestView(permit, { tokenInfo: usdc })).toMatchObject({ to: USDC, token: { symbol: "USDC", amount: "5000000" }, summary: "Sign permit: 0x5555…5555 may spend 5.0 USDC" });
    const order: TypedDataRequest = { kind: "typed_data", typedData: { domain: { name: "Seaport" }, types: { Order: [{ name: "offerer", type: "address" }] }, primaryType: "Order", message: { offerer: ALICE } } };
    expect(requestView(order).summary).toBe("Sign typed data Order for Seaport");
  });
});
