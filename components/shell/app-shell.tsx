"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import type { SessionView } from "../api/types";
import { CloseIcon, LogoMark, MenuIcon } from "../icons";
import { KeygenIndicator, KeygenJobProvider, KeygenWizardHost } from "../signers/keygen-job";
import { ThemeToggle } from "../ui/theme-toggle";
import { EmailVerificationBanner } from "./email-verification-banner";
import { OrgSwitcher } from "./org-switcher";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 rounded-md text-fg">
      <span className="flex size-8 items-center justify-center rounded-lg bg-accent text-accent-fg">
        <LogoMark className="size-5" />
      </span>
      <span className="text-[15px] font-semibold tracking-tight">Countersign</span>
    </Link>
  );
}

function SidebarContent({ session, onNavigate }: { session: SessionView; onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-5">
      <OrgSwitcher current={session.organization} organizations={session.organizations} />
      <div className="flex-1 overflow-y-auto">
        <SidebarNav onNavigate={onNavigate} />
      </div>
      <div className="space-y-3 border-t border-border pt-4">
        <div className="flex items-center justify-between px-1">
          <span className="text-xs font-medium text-fg-muted">Theme</span>
          <ThemeToggle />
        </div>
        <UserMenu user={session.user} />
      </div>
    </div>
  );
}

/** Phone-width navigation: a modal drawer from the left, opened from the top bar. */
function MobileDrawer({ session, open, onClose }: { session: SessionView; open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-modal="true"
      aria-label="Navigation"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
      className="m-0 h-dvh max-h-none w-[min(20rem,85vw)] max-w-none border-r border-border bg-surface p-0 text-fg lg:hidden"
    >
      {open ? (
        <div className="flex h-full flex-col gap-5 p-4">
          <div className="flex items-center justify-between">
            <Brand />
            <button
              type="button"
              onClick={onClose}
              aria-label="Close navigation"
              className="rounded-md p-2 text-fg-muted hover:bg-surface-muted hover:text-fg"
            >
              <CloseIcon className="size-5" />
            </button>
          </div>
          <SidebarContent session={session} onNavigate={onClose} />
        </div>
      ) : null}
    </dialog>
  );
}

export function AppShell({ session, children }: { session: SessionView; children: ReactNode }) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const pathname = usePathname();

  useEffect(() => {
    setDrawerOpen(false);
  }, [pathname]);

  // A two-column grid from lg up: the sidebar's column stretches to the full height of the page
  // (its background never stops short on a long page) while the nav inside it stays in view.
  return (
    <KeygenJobProvider>
      <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_minmax(0,1fr)]">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-lg focus:bg-surface focus:px-4 focus:py-2 focus:shadow-overlay"
        >
          Skip to content
        </a>
        <div data-testid="sidebar-column" className="hidden border-r border-border bg-surface lg:block">
          <aside className="sticky top-0 flex h-dvh flex-col gap-6 px-4 py-5">
            <Brand />
            <SidebarContent session={session} />
          </aside>
        </div>
        <div className="min-w-0">
          <header className="sticky top-0 z-30 flex h-14 items-center justify-between border-b border-border bg-surface/90 px-4 backdrop-blur lg:hidden">
            <Brand />
            <button
              type="button"
              onClick={() => setDrawerOpen(true)}
              aria-label="Open navigation"
              aria-expanded={drawerOpen}
              className="rounded-md p-2 text-fg hover:bg-surface-muted"
            >
              <MenuIcon className="size-5" />
            </button>
          </header>
          <MobileDrawer session={session} open={drawerOpen} onClose={() => setDrawerOpen(false)} />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl px-4 py-6 outline-none sm:px-6 lg:px-10 lg:py-10">
            {!session.user.emailVerified && session.user.email ? (
              <EmailVerificationBanner email={session.user.email} className="mb-6" />
            ) : null}
            <KeygenIndicator />
            {children}
            {/* The create-signer wizard lives here so its work survives navigation (keygen-job.tsx); /signers/new shows it. */}
            <KeygenWizardHost userName={session.user.email ?? session.user.name ?? session.user.walletAddress ?? "Countersign user"} />
          </main>
        </div>
      </div>
    </KeygenJobProvider>
  );
}
