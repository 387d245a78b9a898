import type { ReactNode } from "react";

import { AppShell } from "@/components/layout/app-shell";

// Auth is wired later: the session user goes in as <AppShell user={{ name, email }}>.
export default function DashboardLayout({ children }: { children: ReactNode }) {
  return <AppShell>{children}</AppShell>;
}
