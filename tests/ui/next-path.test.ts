import { describe, expect, it } from "vitest";
import { safeNextPath, signInHref } from "@/components/auth/next-path";

describe("safeNextPath", () => {
  it("keeps same-origin paths with their query", () => {
    expect(safeNextPath("/settings/api-keys")).toBe("/settings/api-keys");
    expect(safeNextPath("/audit?cursor=abc")).toBe("/audit?cursor=abc");
  });

  it("falls back for missing, absolute and protocol-relative targets", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath("")).toBe("/");
    expect(safeNextPath("https://evil.example/")).toBe("/");
    expect(safeNextPath("//evil.example/")).toBe("/");
    expect(safeNextPath("/\\evil.example")).toBe("/");
    expect(safeNextPath("javascript:alert(1)")).toBe("/");
  });

  it("rejects control characters and loops back to the auth pages", () => {
    expect(safeNextPath("/settings\n")).toBe("/");
    expect(safeNextPath("/sign-in?next=/x")).toBe("/");
    expect(safeNextPath("/sign-up")).toBe("/");
  });

  it("uses the given fallback", () => {
    expect(safeNextPath("//x", "/settings")).toBe("/settings");
  });
});

describe("signInHref", () => {
  it("encodes the return path", () => {
    expect(signInHref("/settings")).toBe("/sign-in?next=%2Fsettings");
    expect(signInHref("/audit?cursor=a&limit=5")).toBe("/sign-in?next=%2Faudit%3Fcursor%3Da%26limit%3D5");
  });

  it("omits next for the home page and unsafe targets", () => {
    expect(signInHref("/")).toBe("/sign-in");
    expect(signInHref("https://evil.example")).toBe("/sign-in");
  });
});
