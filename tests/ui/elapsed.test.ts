import { describe, expect, it } from "vitest";
import { formatElapsed } from "@/components/ui/elapsed";

describe("formatElapsed", () => {
  it("shows seconds under a minute, then minutes with two-digit seconds", () => {
    expect(formatElapsed(0)).toBe("0 s");
    expect(formatElapsed(999)).toBe("0 s");
    expect(formatElapsed(59_400)).toBe("59 s");
    expect(formatElapsed(60_000)).toBe("1 min 00 s");
    expect(formatElapsed(185_000)).toBe("3 min 05 s");
  });

  it("never goes negative when the clock is behind the start", () => {
    expect(formatElapsed(-5_000)).toBe("0 s");
  });
});
