"use client";

import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { MonitorIcon, MoonIcon, SunIcon } from "../icons";
import { cn } from "./cn";
import { THEME_STORAGE_KEY, parseThemePreference, resolveTheme, type ThemePreference } from "./theme";

const options: Array<{ value: ThemePreference; label: string; Icon: typeof SunIcon }> = [
  { value: "light", label: "Light", Icon: SunIcon },
  { value: "dark", label: "Dark", Icon: MoonIcon },
  { value: "system", label: "System", Icon: MonitorIcon },
];

function subscribeToSystemTheme(onChange: () => void) {
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

function readStoredPreference(): ThemePreference {
  try {
    return parseThemePreference(window.localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return "system";
  }
}

/** Light / dark / system segmented control; the choice persists in localStorage. */
export function ThemeToggle({ className }: { className?: string }) {
  const [preference, setPreference] = useState<ThemePreference | null>(null);
  const systemDark = useSyncExternalStore(
    subscribeToSystemTheme,
    () => window.matchMedia("(prefers-color-scheme: dark)").matches,
    () => false,
  );

  useEffect(() => {
    setPreference(readStoredPreference());
  }, []);

  useEffect(() => {
    if (preference === null) return;
    document.documentElement.classList.toggle("dark", resolveTheme(preference, systemDark) === "dark");
    document.documentElement.dataset.theme = preference;
  }, [preference, systemDark]);

  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  // Radio-group keyboard pattern: arrows move the selection and the focus together.
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowUp" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const current = options.findIndex((option) => option.value === (preference ?? "system"));
    const next = (current + step + options.length) % options.length;
    const option = options[next];
    if (!option) return;
    choose(option.value);
    buttons.current[next]?.focus();
  }

  function choose(next: ThemePreference) {
    setPreference(next);
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      /* not persisted when storage is unavailable; the in-page choice still applies */
    }
  }

  return (
    <div
      role="radiogroup"
      aria-label="Colour theme"
      onKeyDown={onKeyDown}
      className={cn("inline-flex items-center gap-0.5 rounded-lg border border-border bg-surface-muted p-0.5", className)}
    >
      {options.map(({ value, label, Icon }, index) => {
        const checked = preference === value;
        return (
          <button
            key={value}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            tabIndex={checked || (preference === null && value === "system") ? 0 : -1}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-label={label}
            title={label}
            onClick={() => choose(value)}
            className={cn(
              "flex size-7 items-center justify-center rounded-md text-fg-muted transition-colors hover:text-fg",
              checked && "bg-surface text-fg shadow-card",
            )}
          >
            <Icon />
          </button>
        );
      })}
    </div>
  );
}
