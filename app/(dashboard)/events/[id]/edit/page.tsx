import type { Metadata } from "next";

import { loadEvent } from "@/app/(dashboard)/events/[id]/load-event";
import { EventForm } from "@/app/(dashboard)/events/_components/event-form";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { getUserMatches } from "@/lib/users/search-users";

export const metadata: Metadata = { title: "Edit event" };

export default async function EditEventPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireSessionMember();
  const event = await loadEvent((await params).id);
  const people = await getUserMatches({
    ctx: await getSessionCtx(),
    input: { ids: [event.ownerId, ...event.hostIds] },
  });
  const owner = people.find((p) => p.id === event.ownerId);
  const hosts = people.filter((p) => event.hostIds.includes(p.id));
  return (
    <>
      <PageHeader title={`Edit ${event.title}`} description="Times are in the event's time zone." />
      {can(member.role, "events:write") ? (
        <EventForm mode="edit" event={event} owner={owner} hosts={hosts} />
      ) : (
        <Alert variant="warning">Your role can view events but not change them.</Alert>
      )}
    </>
  );
}
