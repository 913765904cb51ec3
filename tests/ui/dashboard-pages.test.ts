import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "@/components/shell/nav-items";
import { SETTINGS_TABS } from "@/components/settings/settings-tabs";

const dashboardDir = join(process.cwd(), "app", "(dashboard)");

function pageFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return pageFiles(path);
    return entry === "page.tsx" ? [path] : [];
  });
}

/** app/(dashboard)/settings/api-keys/page.tsx → /settings/api-keys */
function routeOf(file: string): string {
  const segments = relative(dashboardDir, file)
    .split(sep)
    .slice(0, -1)
    .filter((segment) => !(segment.startsWith("(") && segment.endsWith(")")));
  return `/${segments.join("/")}`;
}

const pages = pageFiles(dashboardDir).map((file) => ({ file, route: routeOf(file), source: readFileSync(file, "utf8") }));

describe("dashboard pages", () => {
  it("finds the pages", () => {
    expect(pages.map((page) => page.route).sort()).toEqual(
      expect.arrayContaining(["/", "/agents", "/approvals", "/audit", "/gateway", "/identity/demo", "/policies", "/settings", "/settings/api-keys", "/signers"]),
    );
  });

  // The layout renders signed-out requests bare, so each page must redirect on its own.
  // A dynamic segment comes back as the concrete value: /signers/[id] → `/signers/${encodeURIComponent(id)}`;
  // a page that works on a query (the mock passport's ?token=) may keep it: `/identity/mock-passport?…`.
  it.each(pages.map((page) => [page.route, page] as const))("%s requires a session for its own path", (route, page) => {
    const expected = route.includes("[")
      ? `await requireSession(\`${route.replace(/\[([^\]]+)\]/g, (_m, name: string) => `\${encodeURIComponent(${name})}`)}\`)`
      : `await requireSession(${JSON.stringify(route)})`;
    const withQuery = `await requireSession(\`${route}?`;
    expect(page.source.includes(expected) || (!route.includes("[") && page.source.includes(withQuery)), `${route} calls ${expected}`).toBe(true);
  });

  it("has a page for every sidebar entry and settings tab", () => {
    const routes = new Set(pages.map((page) => page.route));
    for (const item of NAV_ITEMS) expect(routes, item.href).toContain(item.href);
    for (const tab of SETTINGS_TABS) expect(routes, tab.href).toContain(tab.href);
  });
});
