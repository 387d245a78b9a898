import { ExternalLink, Pencil } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { attendanceByDay } from "@/app/(dashboard)/events/[id]/attendance";
import { AttendanceChart } from "@/app/(dashboard)/events/[id]/_components/attendance-chart";
import { RegistrationsPanel } from "@/app/(dashboard)/events/[id]/_components/registrations-panel";
import { loadEvent } from "@/app/(dashboard)/events/[id]/load-event";
import { listRegistrationsAction } from "@/app/(dashboard)/events/actions";
import { FillBar } from "@/app/(dashboard)/events/_components/fill-bar";
import { formatEventTime } from "@/app/(dashboard)/events/_components/format";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { type Ctx } from "@/lib/context";
import { MAX_PAGE_LIMIT } from "@/lib/db/cursor";
import { listEventRegistrations } from "@/lib/events/register";
import { getUserMatches } from "@/lib/users/search-users";

export const metadata: Metadata = { title: "Event" };

/** Bounds the chart's read; an event this large gets a rollup-based chart from analytics instead. */
const CHART_LIMIT = 5_000;

async function registrationTimes(ctx: Ctx, eventId: string): Promise<{ times: string[]; partial: boolean }> {
  const times: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listEventRegistrations({
      ctx,
      input: { eventId, page: { limit: MAX_PAGE_LIMIT, cursor } },
    });
    times.push(...page.items.map((r) => r.registeredAt));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && times.length < CHART_LIMIT);
  return { times, partial: cursor !== undefined };
}

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireSessionMember();
  const ctx = await getSessionCtx();
  const event = await loadEvent((await params).id);
  const [firstPage, chart, people] = await Promise.all([
    listRegistrationsAction(event.id),
    registrationTimes(ctx, event.id),
    getUserMatches({ ctx, input: { ids: [event.ownerId, ...event.hostIds] } }),
  ]);
  const canWrite = can(member.role, "events:write");
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? "(deleted user)";

  return (
    <>
      <PageHeader
        title={event.title}
        description={formatEventTime(event.startAt, event.timeZone)}
        actions={
          <>
            <Button variant="outline" asChild>
              <Link href={`/e/${event.slug}`} target="_blank">
                <ExternalLink aria-hidden />
                Public page<span className="sr-only"> (opens in a new tab)</span>
              </Link>
            </Button>
            {canWrite ? (
              <Button asChild>
                <Link href={`/events/${event.id}/edit`}>
                  <Pencil aria-hidden />
                  Edit
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      <Card>
        <CardContent className="grid gap-4 pt-6 sm:grid-cols-2">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Starts</dt>
            <dd>{formatEventTime(event.startAt, event.timeZone)}</dd>
            <dt className="text-muted-foreground">Ends</dt>
            <dd>{formatEventTime(event.endAt, event.timeZone)}</dd>
            <dt className="text-muted-foreground">Venue</dt>
            <dd>{event.venue ?? "—"}</dd>
            <dt className="text-muted-foreground">Public URL</dt>
            <dd className="break-all">/e/{event.slug}</dd>
          </dl>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted-foreground">Capacity</dt>
            <dd>
              <FillBar count={event.registeredCount} capacity={event.maxCapacity} />
            </dd>
            <dt className="text-muted-foreground">Owner</dt>
            <dd>{nameOf(event.ownerId)}</dd>
            <dt className="text-muted-foreground">Co-hosts</dt>
            <dd>{event.hostIds.length ? event.hostIds.map(nameOf).join(", ") : "—"}</dd>
          </dl>
          {event.description ? (
            <p className="text-sm whitespace-pre-line sm:col-span-2">{event.description}</p>
          ) : null}
        </CardContent>
      </Card>
      <AttendanceChart data={attendanceByDay(chart.times)} partial={chart.partial} />
      {firstPage.ok ? (
        <RegistrationsPanel eventId={event.id} firstPage={firstPage.data} canWrite={canWrite} />
      ) : (
        <ErrorState
          headingLevel={2}
          title="Registrations could not be loaded"
          description={firstPage.problem.detail}
        />
      )}
    </>
  );
}
