import { Lock } from "lucide-react";
import type { Metadata } from "next";

import { CampaignComposer } from "@/components/campaigns/campaign-composer";
import { filterFromToken } from "@/components/campaigns/compose";
import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/roles";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { listEvents } from "@/lib/events/get-event";
import { Id } from "@/lib/schemas/common";

const first = (raw: string | string[] | undefined) => (Array.isArray(raw) ? raw[0] : raw);

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const member = await requireSessionMember();
  if (!can(member.role, "campaigns:write")) {
    return (
      <>
        <PageHeader title="New campaign" />
        <EmptyState
          icon={Lock}
          title="Read-only access"
          description="Your role can view campaigns but not create or send them. Ask an admin for the organizer role."
        />
      </>
    );
  }
  const params = await searchParams;
  const filter = filterFromToken(first(params.filter));
  // A malformed id is dropped here; an unknown but well-formed one surfaces as the picker's own error.
  const parsedSegment = Id.safeParse(first(params.segmentId));
  const segmentId = parsedSegment.success ? parsedSegment.data : null;
  const events = await listEvents({ ctx: await getSessionCtx(), input: { limit: 100 } });
  return (
    <>
      <PageHeader
        title="New campaign"
        description={
          segmentId
            ? "Audience: the users in your saved segment."
            : filter
              ? "Audience: the users matching your Users filter."
              : "Write once, send to an audience."
        }
      />
      <CampaignComposer
        filter={filter}
        segmentId={segmentId}
        events={events.items.map((e) => ({ id: e.id, title: e.title, slug: e.slug }))}
      />
    </>
  );
}
