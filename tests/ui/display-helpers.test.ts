import { describe, expect, it } from "vitest";
import { activeApiKeys, auditLogPath } from "@/components/api/hooks";
import { actorLabel, describeAction, outcomeTone } from "@/components/audit/describe-action";
import { linkify } from "@/components/auth/linkify";
import { validateSignUp } from "@/components/auth/sign-up-validation";
import { formatDate, formatRelative } from "@/components/format/dates";
import { apiKeyStatus, buildCreateApiKeyInput, maskedKey } from "@/components/settings/api-key-status";
import { validateOrganizationName } from "@/components/forms/organization-name";
import { isNavItemActive, NAV_ITEMS } from "@/components/shell/nav-items";
import { canManageMembers } from "@/components/shell/role-label";
import { displayName, initials, shortAddress } from "@/components/shell/user-display";

const now = new Date("2026-11-27T12:00:00.000Z");

describe("dates", () => {
  it("formats relative times in both directions", () => {
    expect(formatRelative("2026-11-27T11:59:30.000Z", now)).toBe("just now");
    expect(formatRelative("2026-11-27T11:55:00.000Z", now)).toBe("5 minutes ago");
    expect(formatRelative("2026-11-26T12:00:00.000Z", now)).toBe("yesterday");
    expect(formatRelative("2026-11-27T15:00:00.000Z", now)).toBe("in 3 hours");
  });

  it("shows a dash for unparseable dates", () => {
    expect(formatRelative("not a date", now)).toBe("—");
    expect(formatDate("nope")).toBe("—");
    expect(formatDate("2026-01-05T12:00:00Z")).toMatch(/2026/);
  });
});

describe("audit presentation", () => {
  it("turns action ids into sentences", () => {
    expect(describeAction("api_key.created")).toBe("API key created");
    expect(describeAction("auth.siwe.login")).toBe("Auth wallet login");
    expect(describeAction("member.role_changed")).toBe("Member role changed");
    expect(describeAction("")).toBe("");
  });

  it("labels actors and outcomes", () => {
    expect(actorLabel({ type: "user", id: "u1", label: "ada@example.com" })).toBe("ada@example.com");
    expect(actorLabel({ type: "system", id: null, label: null })).toBe("System");
    expect(actorLabel({ type: "api_key", id: "0123456789abcdef", label: null })).toBe("api_key 01234567");
    expect(outcomeTone("success")).toBe("success");
    expect(outcomeTone("DENIED")).toBe("danger");
    expect(outcomeTone("pending")).toBe("warning");
    expect(outcomeTone("other")).toBe("neutral");
  });

  it("builds audit-log page URLs", () => {
    expect(auditLogPath(25, null)).toBe("/api/v1/audit-log?limit=25");
    expect(auditLogPath(25, "abc/=")).toBe("/api/v1/audit-log?limit=25&cursor=abc%2F%3D");
  });
});

describe("API keys", () => {
  const key = { id: "k", name: "n", prefix: "cs_ab12", scopes: ["audit:read"], createdAt: "2026-01-01T00:00:00Z", lastUsedAt: null };

  it("derives status from revocation and expiry", () => {
    expect(apiKeyStatus({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(apiKeyStatus({ revokedAt: "2026-11-01T00:00:00Z", expiresAt: null }, now)).toBe("revoked");
    expect(apiKeyStatus({ revokedAt: null, expiresAt: "2026-11-27T11:00:00Z" }, now)).toBe("expired");
    expect(apiKeyStatus({ revokedAt: null, expiresAt: "2026-12-27T11:00:00Z" }, now)).toBe("active");
    const keys = [
      { ...key, id: "a", revokedAt: null, expiresAt: null },
      { ...key, id: "b", revokedAt: "2026-11-01T00:00:00Z", expiresAt: null },
      { ...key, id: "c", revokedAt: null, expiresAt: "2026-01-01T00:00:00Z" },
    ];
    expect(activeApiKeys(keys, now).map((item) => item.id)).toEqual(["a"]);
  });

  it("only ever displays the prefix", () => {
    expect(maskedKey("cs_ab12")).toBe("cs_ab12…");
  });

  it("validates and shapes the create request", () => {
    expect(buildCreateApiKeyInput(" Backend ", ["audit:read"], "90")).toEqual({
      input: { name: "Backend", scopes: ["audit:read"], expiresInDays: 90 },
      errors: {},
    });
    expect(buildCreateApiKeyInput("Backend", ["a"], "never").input).not.toHaveProperty("expiresInDays");
    const invalid = buildCreateApiKeyInput("  ", [], "30");
    expect(Object.keys(invalid.errors).sort()).toEqual(["name", "scopes"]);
  });
});

describe("forms", () => {
  it("validates sign-up fields", () => {
    expect(validateSignUp({ email: "ada@example.com", name: "Ada" })).toEqual({});
    expect(validateSignUp({ email: "", name: "" })).toEqual({ email: "Enter an email address.", name: "Enter your name." });
    expect(validateSignUp({ email: "ada@", name: "x".repeat(101) })).toEqual({
      email: "Enter a valid email address.",
      name: "Keep your name under 100 characters.",
    });
  });

  it("validates organization names", () => {
    expect(validateOrganizationName("Acme")).toBeNull();
    expect(validateOrganizationName("   ")).toMatch(/Enter a name/);
    expect(validateOrganizationName("x".repeat(81))).toMatch(/under 80/);
  });
});

describe("people and navigation", () => {
  it("names users by name, then email, then wallet", () => {
    const wallet = "0x1234567890abcdef1234567890abcdef12345678";
    expect(displayName({ name: " Ada Lovelace ", email: "a@b.co", walletAddress: null })).toBe("Ada Lovelace");
    expect(displayName({ name: null, email: "a@b.co", walletAddress: null })).toBe("a@b.co");
    expect(displayName({ name: null, email: null, walletAddress: wallet })).toBe("0x1234…5678");
    expect(shortAddress("0xabc")).toBe("0xabc");
    expect(initials({ name: "Ada King Lovelace", email: null, walletAddress: null })).toBe("AL");
    expect(initials({ name: null, email: "bob@x.io", walletAddress: null })).toBe("BO");
    expect(initials({ name: null, email: null, walletAddress: wallet })).toBe("12");
  });

  it("marks the current section in the sidebar", () => {
    expect(isNavItemActive("/", "/")).toBe(true);
    expect(isNavItemActive("/", "/settings")).toBe(false);
    expect(isNavItemActive("/settings", "/settings/api-keys")).toBe(true);
    expect(isNavItemActive("/settings", "/settingsx")).toBe(false);
    expect(NAV_ITEMS.map((item) => item.label)).toEqual(["Overview", "Signers", "Approvals", "Policies", "Agents", "Gateway", "Audit", "Settings"]);
  });

  it("lets only owners and admins manage the organization", () => {
    expect(["owner", "admin", "approver", "viewer"].map((role) => canManageMembers(role as "owner"))).toEqual([true, true, false, false]);
  });
});

describe("linkify", () => {
  it("splits out http(s) links and leaves trailing punctuation as text", () => {
    expect(linkify("Verify: http://localhost:3000/verify-email?token=abc. Thanks")).toEqual([
      { kind: "text", value: "Verify: " },
      { kind: "link", value: "http://localhost:3000/verify-email?token=abc" },
      { kind: "text", value: ". Thanks" },
    ]);
    expect(linkify("no links")).toEqual([{ kind: "text", value: "no links" }]);
  });
});
