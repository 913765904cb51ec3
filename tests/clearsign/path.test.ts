import { describe, expect, it } from "vitest";
import { PathError } from "@/lib/clearsign/errors";
import { parsePath, pathKey, resolveRelative } from "@/lib/clearsign/path";

describe("parsePath", () => {
  it("parses roots, names, indices, iteration and slices", () => {
    expect(parsePath("#.desc.amount")).toEqual({
      root: "#",
      steps: [
        { kind: "field", name: "desc" },
        { kind: "field", name: "amount" },
      ],
    });
    expect(parsePath("pools.[-1]")).toEqual({ root: null, steps: [{ kind: "field", name: "pools" }, { kind: "index", index: -1 }] });
    expect(parsePath("#.orders.[].order.maker").steps[1]).toEqual({ kind: "all" });
    expect(parsePath("token.[-20:]").steps[1]).toEqual({ kind: "slice", start: -20, end: undefined });
    expect(parsePath("#.data.[292:324]").steps[1]).toEqual({ kind: "slice", start: 292, end: 324 });
    expect(parsePath("takerTraits.[:1]").steps[1]).toEqual({ kind: "slice", start: undefined, end: 1 });
    expect(parsePath("@.value")).toEqual({ root: "@", steps: [{ kind: "field", name: "value" }] });
    expect(parsePath("$.metadata.constants.max").root).toBe("$");
  });

  it("accepts brackets attached to a name", () => {
    expect(parsePath("#.amounts[0]").steps).toEqual([
      { kind: "field", name: "amounts" },
      { kind: "index", index: 0 },
    ]);
  });

  it("rejects malformed paths", () => {
    expect(() => parsePath("")).toThrow(PathError);
    expect(() => parsePath("#amount")).toThrow(PathError);
    expect(() => parsePath("a..b")).toThrow(PathError);
    expect(() => parsePath("a.[x]")).toThrow(PathError);
    expect(() => parsePath("a.[1:2:3]")).toThrow(PathError);
  });

  it("gives the same key to a relative path and its #. form", () => {
    const base = parsePath("#.swapData");
    expect(pathKey(resolveRelative(parsePath("fromAmount"), base))).toBe(pathKey(parsePath("#.swapData.fromAmount")));
    expect(pathKey(resolveRelative(parsePath("_amounts.[]"), { root: "#", steps: [] }))).toBe("#._amounts.[]");
    expect(resolveRelative(parsePath("@.to"), base)).toEqual(parsePath("@.to"));
  });
});
