/**
 * lib/aa/settle.ts's pure plan: which reservation an EntryPoint event charges, which are released.
 */
import { describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { settlementPlan, type PendingSponsorship } from "@/lib/aa/settle";

const A = "0x00000000000000000000000000000000000000aA";
const B = "0x00000000000000000000000000000000000000bB";
const HASH = `0x${"ab".repeat(32)}` as Hex;
const T = 1_800_000_000; // the latest block's timestamp (seconds)
const at = (s: number) => new Date(s * 1000);
const row = (id: string, sender: string, nonce: string, validUntil: number, createdAt: number): PendingSponsorship => ({ id, sender, nonce, validUntil: at(validUntil), createdAt: at(createdAt) });

describe("settlementPlan", () => {
  it("charges the newest reservation of a mined operation its actual cost and releases its older ones", () => {
    const pending = [row("old", A.toLowerCase(), "5", T + 100, T - 500), row("new", A, "5", T + 500, T - 100), row("other", A, "6", T + 500, T - 100)];
    const plan = settlementPlan(pending, [{ userOpHash: HASH, sender: A, nonce: 5n, actualGasCost: 1234n }], new Set(), T);
    expect(plan).toEqual([
      { id: "new", actualCostWei: 1234n, userOpHash: HASH },
      { id: "old", actualCostWei: 0n, userOpHash: null },
    ]);
  });

  it("does not charge an operation twice: when a previous pass recorded its hash, the remaining reservations are released", () => {
    const plan = settlementPlan([row("late", A, "5", T + 500, T - 10)], [{ userOpHash: HASH, sender: A, nonce: 5n, actualGasCost: 1234n }], new Set([HASH]), T);
    expect(plan).toEqual([{ id: "late", actualCostWei: 0n, userOpHash: null }]);
  });

  it("without an event, releases a reservation only once the chain is past its validUntil", () => {
    const pending = [row("expired", B, "0", T - 1, T - 700), row("boundary", B, "1", T, T - 600), row("live", B, "2", T + 1, T - 599)];
    expect(settlementPlan(pending, [], new Set(), T)).toEqual([{ id: "expired", actualCostWei: 0n, userOpHash: null }]);
  });

  it("matches the event's full nonce (key and sequence) against the stored decimal", () => {
    const nonce = (7n << 64n) | 3n;
    const plan = settlementPlan([row("keyed", B, nonce.toString(), T + 500, T - 1), row("seq-only", B, "3", T + 500, T - 1)], [{ userOpHash: HASH, sender: B, nonce, actualGasCost: 9n }], new Set(), T);
    expect(plan).toEqual([{ id: "keyed", actualCostWei: 9n, userOpHash: HASH }]);
  });
});
