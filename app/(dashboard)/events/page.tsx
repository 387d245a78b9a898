import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { EventsTable } from "@/app/(dashboard)/events/_components/events-table";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { listEvents } from "@/lib/events/get-event";

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage() {
  const member = await requireSessionMember();
  const firstPage = await listEvents({ ctx: await getSessionCtx(), input: { limit: 25 } });
  const canWrite = can(member.role, "events:write");
  return (
    <>
      <PageHeader
        title="Events"
        description="Your upcoming and past events, with registrations and capacity."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/events/new">
                <Plus aria-hidden />
                New event
              </Link>
            </Button>
          ) : null
        }
      />
      <EventsTable firstPage={firstPage} canWrite={canWrite} />
    </>
  );
}
