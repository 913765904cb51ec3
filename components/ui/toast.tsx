"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { AlertIcon, CheckCircleIcon, CloseIcon } from "../icons";
import { cn } from "./cn";

export type ToastTone = "success" | "error" | "info";

export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
}

interface ToastItem extends Required<Omit<ToastInput, "description">> {
  id: number;
  description?: string;
}

interface ToastContextValue {
  toast: (input: ToastInput) => void;
}

const ToastContext = createContext<ToastContextValue | null>(null);

export class ToastProviderMissingError extends Error {
  constructor() {
    super("useToast must be used inside <ToastProvider>");
    this.name = "ToastProviderMissingError";
  }
}

export function useToast(): ToastContextValue {
  const value = useContext(ToastContext);
  if (!value) throw new ToastProviderMissingError();
  return value;
}

const DISMISS_AFTER_MS = 5000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(0);

  const dismiss = useCallback((id: number) => setItems((current) => current.filter((item) => item.id !== id)), []);

  const toast = useCallback((input: ToastInput) => {
    nextId.current += 1;
    const item: ToastItem = { id: nextId.current, title: input.title, description: input.description, tone: input.tone ?? "info" };
    setItems((current) => [...current.slice(-3), item]);
  }, []);

  const value = useMemo(() => ({ toast }), [toast]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        aria-relevant="additions"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
      >
        {items.map((item) => (
          <ToastCard key={item.id} item={item} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastCard({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDismiss(item.id), DISMISS_AFTER_MS);
    return () => clearTimeout(timer);
  }, [item.id, onDismiss]);

  return (
    <div
      role={item.tone === "error" ? "alert" : "status"}
      className={cn(
        "animate-toast-in pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl border bg-surface p-4 shadow-overlay",
        item.tone === "error" ? "border-danger/40" : "border-border",
      )}
    >
      {item.tone === "error" ? (
        <AlertIcon className="mt-0.5 size-5 shrink-0 text-danger" />
      ) : (
        <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-accent" />
      )}
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold text-fg">{item.title}</p>
        {item.description ? <p className="mt-0.5 text-sm break-words text-fg-muted">{item.description}</p> : null}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(item.id)}
        aria-label="Dismiss notification"
        className="-m-1 rounded-md p-1 text-fg-muted hover:bg-surface-muted hover:text-fg"
      >
        <CloseIcon />
      </button>
    </div>
  );
}
