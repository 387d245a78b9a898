import "server-only";

import { distribution, fillRates, topBy } from "@/lib/analytics/engagement";
import { registrationsByEvent } from "@/lib/analytics/rollup";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { EngagementQuery, type EngagementResponse } from "@/lib/analytics/schemas";
import { resolveRange } from "@/lib/analytics/get-timeseries";
import { type Ctx, requireScope } from "@/lib/context";
import { listEventFill, listUserCounts } from "@/lib/db/analytics-repo";

/** Events listed with their fill rate. */
const MAX_EVENTS = 100;

/**
 * Host/attendee distributions, top attendees and hosts, event fill rates and registrations per day per event.
 * Reads every user's counters (projected): fine for tens of thousands of users, not on a hot path.
 * @throws ZodError or ValidationError on bad input; UnavailableError; Unauthorized/ForbiddenError.
 */
export async function getEngagement({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: EngagementQuery;
}): Promise<EngagementResponse> {
  requireScope(ctx, "read");
  const q = EngagementQuery.parse(input);
  const range = resolveRange(q, "day");
  const [users, events, rows] = await Promise.all([listUserCounts(), listEventFill(), getRollupTable()]);
  const scopedEvents = q.eventId ? events.filter((e) => e.eventId === q.eventId) : events;
  return {
    users: users.length,
    hostedDistribution: distribution(users.map((u) => u.hosted)),
    attendedDistribution: distribution(users.map((u) => u.attended)),
    topAttendees: topBy(users, "attended", q.top),
    topHosts: topBy(users, "hosted", q.top),
    events: fillRates(scopedEvents, MAX_EVENTS),
    registrationsOverTime: registrationsByEvent(
      rows,
      { ...range, ...(q.eventId ? { eventId: q.eventId } : {}) },
      q.top,
    ),
  };
}
