import type { ReactNode } from "react";

import { AppShell } from "@/components/layout/app-shell";
import { requireSessionMember } from "@/lib/auth/session";

// Signed-out visitors are redirected here as well as in proxy.ts: the proxy only sees that a cookie exists.
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const member = await requireSessionMember();
  return <AppShell user={{ name: member.name, email: member.email }}>{children}</AppShell>;
}
