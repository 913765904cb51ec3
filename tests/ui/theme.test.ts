import { describe, expect, it } from "vitest";
import { THEME_STORAGE_KEY, parseThemePreference, resolveTheme, themeInitScript } from "@/components/ui/theme";

/** Runs the inline <head> script against a minimal fake browser and reports what it did to <html>. */
function runInitScript(stored: string | null, systemDark: boolean, storageThrows = false) {
  const classes = new Set<string>();
  const dataset: Record<string, string> = {};
  const window = {
    localStorage: {
      getItem: (key: string) => {
        if (storageThrows) throw new Error("SecurityError");
        return key === THEME_STORAGE_KEY ? stored : null;
      },
    },
    matchMedia: (query: string) => ({ matches: query === "(prefers-color-scheme: dark)" && systemDark }),
  };
  const document = {
    documentElement: {
      classList: { toggle: (name: string, force: boolean) => (force ? classes.add(name) : classes.delete(name)) },
      dataset,
    },
  };
  new Function("window", "document", themeInitScript)(window, document);
  return { dark: classes.has("dark"), preference: dataset.theme };
}

describe("theme preference", () => {
  it("parses stored values and defaults to system", () => {
    expect(parseThemePreference("dark")).toBe("dark");
    expect(parseThemePreference("light")).toBe("light");
    expect(parseThemePreference("purple")).toBe("system");
    expect(parseThemePreference(null)).toBe("system");
  });

  it("resolves system against the OS setting", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });
});

describe("no-flash init script", () => {
  it("applies an explicit choice regardless of the OS", () => {
    expect(runInitScript("dark", false)).toEqual({ dark: true, preference: "dark" });
    expect(runInitScript("light", true)).toEqual({ dark: false, preference: "light" });
  });

  it("follows the OS when nothing valid is stored", () => {
    expect(runInitScript(null, true)).toEqual({ dark: true, preference: "system" });
    expect(runInitScript("garbage", false)).toEqual({ dark: false, preference: "system" });
  });

  it("survives unavailable storage", () => {
    expect(runInitScript("dark", true, true)).toEqual({ dark: false, preference: undefined });
  });
});
