import { describe, expect, it } from "vitest";
import {
  EMPTY_AUDIT_FILTER,
  auditApiParams,
  auditExportPath,
  auditListPath,
  filterFromSearch,
  filterToSearch,
  isFiltered,
  localMidnightIso,
  validateAuditFilter,
} from "@/components/audit/audit-filter";

const signer = "5f0c6a52-7f0b-4a53-9a55-0c1c5d0f6a11";

describe("audit filters", () => {
  it("round-trips through the page URL using the API's names", () => {
    const filter = { ...EMPTY_AUDIT_FILTER, action: "policy.*", resourceType: "policy", q: "daily", from: "2026-11-01", to: "2026-11-27", signer };
    const search = filterToSearch(filter);
    expect(search.toString()).toBe(`action=policy.*&resource_type=policy&q=daily&from=2026-11-01&to=2026-11-27&signer=${signer}`);
    expect(filterFromSearch(new URLSearchParams(search.toString()))).toEqual(filter);
    expect(filterToSearch(EMPTY_AUDIT_FILTER).toString()).toBe("");
    expect(isFiltered(EMPTY_AUDIT_FILTER)).toBe(false);
  });

  it("sends dates as instants with an inclusive end day", () => {
    const params = auditApiParams({ ...EMPTY_AUDIT_FILTER, from: "2026-11-01", to: "2026-11-27" });
    expect(params.get("from")).toBe(localMidnightIso("2026-11-01"));
    expect(params.get("to")).toBe(localMidnightIso("2026-11-28"));
    expect(new Date(localMidnightIso("2026-11-27", 1)).getTime() - new Date(localMidnightIso("2026-11-27")).getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
  });

  it("builds the list and the CSV link from the same filter", () => {
    const filter = { ...EMPTY_AUDIT_FILTER, action: "signer.*", signer };
    expect(auditListPath(filter, 25, "abc")).toBe(`/api/v1/audit-log?action=signer.*&signer=${signer}&limit=25&cursor=abc`);
    expect(auditExportPath(filter)).toBe(`/api/v1/audit-log/export?action=signer.*&signer=${signer}`);
    expect(auditExportPath(EMPTY_AUDIT_FILTER)).toBe("/api/v1/audit-log/export");
  });

  it("validates like the API and leaves invalid fields out of requests", () => {
    const bad = { ...EMPTY_AUDIT_FILTER, action: "Policy Created", from: "2026-11-27", to: "2026-11-01", signer: "nope" };
    expect(validateAuditFilter(bad)).toEqual({
      action: "An action like signer.created, or a prefix like signer.*",
      to: "Must not be before the start date",
      signer: "Pick a signer",
    });
    expect(auditApiParams(bad).toString()).toBe(`from=${encodeURIComponent(localMidnightIso("2026-11-27"))}`);
  });
});
