import type { ReactNode } from "react";

import { Brand } from "@/components/layout/brand";
import { MobileNav } from "@/components/layout/mobile-nav";
import { SidebarNav } from "@/components/layout/sidebar-nav";
import { UserMenu, type ShellUser } from "@/components/layout/user-menu";
import { ThemeToggle } from "@/components/theme/theme-toggle";

export interface AppShellProps {
  children: ReactNode;
  /** The signed-in organizer; null until auth is wired. */
  user?: ShellUser | null;
  /** Where "Sign out" goes (next-auth's GET sign-out page by default). */
  signOutHref?: string;
}

/**
 * Dashboard frame: skip link, sidebar (md and up), top bar with the drawer trigger, theme and account
 * menus, and the `<main id="main">` landmark pages render into. A server component; only the
 * interactive islands are client components.
 */
export function AppShell({ children, user = null, signOutHref = "/api/auth/signout" }: AppShellProps) {
  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-4 py-2 text-sm font-medium text-primary-foreground focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 flex-col border-r bg-sidebar md:flex">
        <div className="flex h-14 items-center px-5">
          <Brand />
        </div>
        <nav aria-label="Dashboard" className="flex-1 overflow-y-auto px-3 py-2">
          <SidebarNav />
        </nav>
        <div className="border-t px-5 py-4 text-xs text-muted-foreground">
          <a
            href="/api/docs"
            className="rounded hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
          >
            API reference
          </a>
        </div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b bg-background/85 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/70 sm:px-6">
          <MobileNav />
          <Brand className="md:hidden" />
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu user={user} signOutHref={signOutHref} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8 lg:py-8">
          <div className="mx-auto flex w-full max-w-6xl flex-col gap-6">{children}</div>
        </main>
      </div>
    </div>
  );
}
