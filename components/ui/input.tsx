import type { InputHTMLAttributes } from "react";
import { cn } from "./cn";

export const controlClasses =
  "block w-full rounded-lg border border-border-strong bg-surface px-3 text-sm text-fg shadow-card " +
  "placeholder:text-fg-muted focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring " +
  "aria-[invalid=true]:border-danger disabled:cursor-not-allowed disabled:opacity-60";

export function Input({ className, ...rest }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(controlClasses, "h-10", className)} {...rest} />;
}
