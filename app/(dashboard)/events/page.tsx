import { CalendarDays } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Events" };

export default function EventsPage() {
  return (
    <>
      <PageHeader
        title="Events"
        description="Your upcoming and past events, with registrations and capacity."
      />
      <EmptyState
        icon={CalendarDays}
        title="No events yet"
        description="Create an event to start taking registrations and inviting your audience."
      />
    </>
  );
}
