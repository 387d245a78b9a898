import type { Metadata } from "next";

import { EventForm } from "@/app/(dashboard)/events/_components/event-form";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { requireSessionMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "New event" };

export default async function NewEventPage() {
  const member = await requireSessionMember();
  return (
    <>
      <PageHeader title="New event" description="Times are in the event's time zone." />
      {can(member.role, "events:write") ? (
        <EventForm mode="create" />
      ) : (
        <Alert variant="warning">
          Your role can view events but not create them. Ask an admin for access.
        </Alert>
      )}
    </>
  );
}
