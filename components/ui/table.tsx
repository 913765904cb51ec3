import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "./cn";

/*
 * Responsive table: a normal table from `sm` up; on phones each row becomes a card and every cell
 * shows its column name (the `label` prop, rendered from data-label) before the value.
 */

/** From `sm` up a long table scrolls inside its card (header row pinned) instead of stretching the page. */
export function Table({ className, ...rest }: HTMLAttributes<HTMLTableElement>) {
  return (
    <div
      data-scroll-container="table"
      className="sm:max-h-[70vh] sm:overflow-auto sm:overscroll-contain sm:rounded-xl sm:border sm:border-border sm:bg-surface sm:shadow-card"
    >
      <table className={cn("block w-full text-sm sm:table", className)} {...rest} />
    </div>
  );
}

export function THead({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return (
    <thead
      className={cn(
        "sr-only sm:not-sr-only sm:sticky sm:top-0 sm:z-10 sm:table-header-group sm:border-b sm:border-border sm:bg-surface-muted",
        className,
      )}
      {...rest}
    />
  );
}

export function TBody({ className, ...rest }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("block space-y-3 sm:table-row-group sm:space-y-0", className)} {...rest} />;
}

export function Tr({ className, ...rest }: HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr
      className={cn(
        "block rounded-xl border border-border bg-surface p-3 shadow-card sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0 sm:shadow-none sm:last:border-b-0",
        className,
      )}
      {...rest}
    />
  );
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn("px-4 py-2.5 text-left text-xs font-semibold tracking-wide text-fg-muted uppercase", className)}
      {...rest}
    />
  );
}

export function Td({ label, className, ...rest }: TdHTMLAttributes<HTMLTableCellElement> & { label: string }) {
  return (
    <td
      data-label={label}
      className={cn(
        "flex items-start justify-between gap-4 py-1.5 align-middle [overflow-wrap:anywhere] before:shrink-0 before:text-xs before:font-medium before:text-fg-muted before:content-[attr(data-label)] sm:table-cell sm:px-4 sm:py-3 sm:[overflow-wrap:normal] sm:before:content-none",
        className,
      )}
      {...rest}
    />
  );
}
