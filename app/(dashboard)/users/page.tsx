import type { Metadata } from "next";
import { Suspense } from "react";

import { UsersClient } from "@/app/(dashboard)/users/client";
import { PageHeader } from "@/components/layout/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { can } from "@/lib/auth/roles";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { listEvents } from "@/lib/events/get-event";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const member = await requireSessionMember();
  // Events for the "attended / registered / hosted event X" picker; the newest 200 cover the picker's use.
  const events = await listEvents({ ctx: await getSessionCtx(), input: { limit: 200 } });
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who has subscribed to or registered for your events. Filter, export, save segments and email them."
      />
      <Suspense fallback={<Skeleton className="h-96 w-full" />}>
        <UsersClient
          canWrite={can(member.role, "users:write")}
          events={events.items.map((e) => ({ id: e.id, title: e.title }))}
        />
      </Suspense>
    </>
  );
}
