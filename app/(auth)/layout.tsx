import Link from "next/link";
import type { ReactNode } from "react";
import { LogoMark } from "@/components/icons";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="flex items-center justify-between px-4 py-4 sm:px-8">
        <Link href="/" className="flex items-center gap-2 rounded-md text-fg">
          <span className="flex size-8 items-center justify-center rounded-lg bg-accent text-accent-fg">
            <LogoMark className="size-5" />
          </span>
          <span className="text-[15px] font-semibold tracking-tight">Countersign</span>
        </Link>
        <ThemeToggle />
      </header>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-6 pb-16 sm:items-center sm:pt-0">
        {children}
      </main>
      <footer className="px-4 pb-6 text-center text-xs text-fg-muted">
        Every signature needs two of three key shares. Nobody — including us — can move funds alone.
      </footer>
    </div>
  );
}
