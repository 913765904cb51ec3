/** Theme preference handling shared by the no-flash inline script and the ThemeToggle. */

export type ThemePreference = "light" | "dark" | "system";
export type ResolvedTheme = "light" | "dark";

export const THEME_STORAGE_KEY = "countersign-theme";
export const THEME_PREFERENCES: readonly ThemePreference[] = ["light", "dark", "system"];

export function parseThemePreference(value: unknown): ThemePreference {
  return value === "light" || value === "dark" || value === "system" ? value : "system";
}

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): ResolvedTheme {
  if (preference === "system") return systemPrefersDark ? "dark" : "light";
  return preference;
}

/**
 * Runs in <head> before first paint so the page never flashes the wrong theme. It is a literal string
 * (not a serialised function) so what ships is exactly what tests/ui/theme.test.ts executes, whatever
 * the bundler does to functions; it mirrors parseThemePreference and resolveTheme.
 */
export const themeInitScript = `(function () {
  try {
    var stored = window.localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});
    var preference = stored === "light" || stored === "dark" ? stored : "system";
    var dark = preference === "dark" || (preference === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
    document.documentElement.classList.toggle("dark", dark);
    document.documentElement.dataset.theme = preference;
  } catch (error) {
    /* storage can be unavailable (privacy mode); the light default is fine then */
  }
})();`;
