import { z } from "zod";

import {
  BreakdownBy,
  BreakdownResponse,
  EngagementResponse,
  Interval,
  Metric,
  SummaryResponse,
  TimeseriesResponse,
} from "@/lib/analytics/schemas";
import { registerOperation, registry } from "@/lib/openapi/registry";

// Documentation shapes of the query strings; the runtime schemas also turn dates into instants.
const date = (what: string) =>
  z.string().optional().describe(`${what}: YYYY-MM-DD or ISO 8601 date-time (hour precision, UTC buckets)`);
const filters = {
  utm_source: z.string().optional().describe("Exact match, case-insensitive"),
  utm_medium: z.string().optional().describe("Exact match, case-insensitive"),
  utm_campaign: z.string().optional().describe("Exact match, case-insensitive"),
  campaignId: z.string().optional(),
  eventId: z.string().optional().describe("The Rally event the campaign or registration is about"),
  from: date("Inclusive start"),
  to: date("Inclusive end; a bare date covers the whole day"),
};

const Summary = registry.register("AnalyticsSummary", SummaryResponse);
const Series = registry.register("AnalyticsTimeseries", TimeseriesResponse);
const Breakdown = registry.register("AnalyticsBreakdown", BreakdownResponse);
const Engagement = registry.register("AnalyticsEngagement", EngagementResponse);

const filterNote =
  "Any subset of filters may be combined; an unknown campaign or UTM value answers zeros. Counts come from rollups maintained as message status events arrive (deduplicated by status-event id).";

registerOperation({
  method: "get",
  path: "/api/analytics",
  tag: "Analytics",
  scope: "read",
  summary: "Funnel summary and rates",
  description: `${filterNote} Unique opens/clicks exclude bot and privacy-proxy traffic, reported under \`excluded\`.`,
  query: z.object(filters),
  success: { status: 200, description: "Summary", schema: Summary },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/analytics/timeseries",
  tag: "Analytics",
  scope: "read",
  summary: "One metric per hour or day",
  description: `${filterNote} Zero-filled; defaults to the last 30 days (day) or 48 hours (hour).`,
  query: z.object({ ...filters, metric: Metric, interval: Interval.optional() }),
  success: { status: 200, description: "Series", schema: Series },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/analytics/breakdown",
  tag: "Analytics",
  scope: "read",
  summary: "Counts and rates grouped by a UTM field, campaign or event",
  description: `${filterNote} Send \`Accept: text/csv\` or \`format=csv\` for an RFC 4180 CSV download.`,
  query: z.object({ ...filters, by: BreakdownBy, format: z.enum(["json", "csv"]).optional() }),
  success: { status: 200, description: "Breakdown (JSON, or text/csv)", schema: Breakdown },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/analytics/engagement",
  tag: "Analytics",
  scope: "read",
  summary: "Host/attendee distributions, top people, event fill rates, registrations per day",
  query: z.object({
    eventId: z.string().optional(),
    from: date("Inclusive start of registrationsOverTime"),
    to: date("Inclusive end"),
    top: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe("How many top attendees/hosts/events (default 10)"),
  }),
  success: { status: 200, description: "Engagement", schema: Engagement },
  errors: [400],
});
