import { describe, expect, it } from "vitest";
import { countCall, rateCounts, type RateWindow } from "@/lib/gateway/rate-window";

const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);

describe("rate window (per-second counts in the agent's statistics row)", () => {
  it("counts calls of the last 60 whole seconds per agent and per tool, and names the oldest for Retry-After", () => {
    let w: RateWindow = {};
    w = countCall(w, "search", at(0), 60);
    w = countCall(w, "search", at(0.5), 60);
    w = countCall(w, "fetch", at(30), 60);
    expect(rateCounts(w, "search", at(59), 60)).toEqual({ agentCalls: 3, toolCalls: 2, oldestInWindow: { agent: at(0), tool: at(0) } });
    // Second 0 leaves the window at second 60: only the fetch call remains.
    expect(rateCounts(w, "search", at(60), 60)).toMatchObject({ agentCalls: 1, toolCalls: 0, oldestInWindow: { agent: at(30), tool: undefined } });
  });

  it("drops expired seconds and tools when counting, and keeps seconds sorted when calls arrive out of order", () => {
    let w: RateWindow = {};
    w = countCall(w, "old", at(0), 60);
    w = countCall(w, "a", at(100), 60);
    expect(Object.keys(w.tools!)).toEqual(["a"]);
    w = countCall(w, "a", at(98), 60);
    w = countCall(w, "a", at(100), 60);
    expect(w.tools!.a).toEqual([[Math.floor(at(98).getTime() / 1000), 1], [Math.floor(at(100).getTime() / 1000), 2]]);
    expect(rateCounts(w, "a", at(100), 60)).toMatchObject({ agentCalls: 3, toolCalls: 3, oldestInWindow: { tool: at(98) } });
  });
});
