import { z } from "zod";

/*
 * Pure zod schemas for analytics: the ingest contract (one status event), the query strings of the read
 * endpoints and the shapes they answer with. Safe for client components.
 */

/** Status events the ingest verb counts. `queued` feeds `pending` (queued and not yet sent or failed). */
export const MessageEventType = z.enum([
  "queued",
  "sent",
  "failed",
  "delivered",
  "bounced",
  "complained",
  "opened",
  "clicked",
  "unsubscribed",
  "registered",
]);
export type MessageEventType = z.infer<typeof MessageEventType>;

/**
 * Stored counters, in storage order. Opens and clicks are counted in full (`opened`, `clicked`); the unique
 * counts exclude bot and privacy-proxy traffic, which is counted separately.
 */
export const COUNTERS = [
  "queued",
  "sent",
  "failed",
  "delivered",
  "bounced",
  "complained",
  "opened",
  "uniqueOpened",
  "botOpened",
  "proxyOpened",
  "clicked",
  "uniqueClicked",
  "botClicked",
  "proxyClicked",
  "unsubscribed",
  "registered",
] as const;
export type Counter = (typeof COUNTERS)[number];

/** Everything a summary reports: the counters minus `queued`, plus the derived `pending`. */
export const METRICS = [
  "sent",
  "failed",
  "pending",
  "delivered",
  "bounced",
  "complained",
  "opened",
  "uniqueOpened",
  "clicked",
  "uniqueClicked",
  "unsubscribed",
  "registered",
  "botOpened",
  "proxyOpened",
  "botClicked",
  "proxyClicked",
] as const;
export const Metric = z.enum(METRICS, { error: `Must be one of ${METRICS.join(", ")}.` });
export type Metric = z.infer<typeof Metric>;

const DimValue = z.string().trim().max(200, "Must be at most 200 characters.");
const IdLike = z
  .string()
  .regex(/^[A-Za-z0-9_:.#/-]{1,200}$/, "Must be 1–200 letters, digits or _ : . # / -.")
  .describe("Opaque id");

/**
 * One message status event, as the campaign engine (fan-out, SES notifications, tracking routes) and the
 * registration path report it. `eventId` identifies the status event itself and is the dedupe key: posting
 * the same id twice counts once. `eventIdOfEvent` is the Rally event the campaign or registration is about.
 */
export const MessageEventInput = z.object({
  eventId: IdLike.describe("Unique id of this status event; redeliveries reuse it"),
  campaignId: IdLike.optional().describe("Absent for registrations that came from no campaign"),
  messageId: IdLike.optional(),
  recipientId: IdLike.optional().describe("Needed for unique opens and clicks"),
  type: MessageEventType,
  at: z.iso.datetime({ offset: true, error: "Must be an ISO 8601 date-time with Z or an offset." }),
  utm: z
    .object({ source: DimValue.optional(), medium: DimValue.optional(), campaign: DimValue.optional() })
    .optional(),
  eventIdOfEvent: IdLike.optional(),
  flags: z.object({ bot: z.boolean().optional(), privacyProxy: z.boolean().optional() }).optional(),
});
export type MessageEventInput = z.infer<typeof MessageEventInput>;

// ---- Query strings ---------------------------------------------------------------------------------------

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A bound given as YYYY-MM-DD or an ISO date-time; `end` picks the last instant of a bare date. */
function dateBound(end: boolean) {
  // Epoch milliseconds pass through, so a verb can re-parse what a route already parsed.
  return z.union([z.number().int(), dateText(end)]);
}

function dateText(end: boolean) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const iso = DATE_ONLY.test(value) ? `${value}T${end ? "23:59:59.999" : "00:00:00.000"}Z` : value;
      const ms = Date.parse(iso);
      const valid =
        !Number.isNaN(ms) &&
        (DATE_ONLY.test(value) ? new Date(ms).toISOString().slice(0, 10) === value : isoDateTime.test(value));
      if (!valid) {
        ctx.addIssue({ code: "custom", message: "Must be a date (YYYY-MM-DD) or an ISO 8601 date-time." });
        return z.NEVER;
      }
      return ms;
    });
}
const Filter = z.string().trim().min(1, "Must not be empty.").max(200, "Must be at most 200 characters.");

/** Filters shared by every analytics read. Any subset may be given; UTM values match case-insensitively. */
export const AnalyticsFilters = z
  .object({
    utm_source: Filter.optional(),
    utm_medium: Filter.optional(),
    utm_campaign: Filter.optional(),
    campaignId: Filter.optional(),
    eventId: Filter.optional(),
    from: dateBound(false).optional().describe("Inclusive; YYYY-MM-DD or ISO date-time (hour precision)"),
    to: dateBound(true).optional().describe("Inclusive; a bare date means the whole day"),
  })
  .strict();

function fromBeforeTo(v: { from?: number; to?: number }, ctx: z.RefinementCtx) {
  if (v.from !== undefined && v.to !== undefined && v.from > v.to) {
    ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be after to." });
  }
}

export const SummaryQuery = AnalyticsFilters.superRefine(fromBeforeTo);
export type SummaryQuery = z.infer<typeof SummaryQuery>;

export const Interval = z.enum(["hour", "day"], { error: "Must be hour or day." });
export type Interval = z.infer<typeof Interval>;

export const TimeseriesQuery = AnalyticsFilters.extend({
  metric: Metric,
  interval: Interval.default("day"),
}).superRefine(fromBeforeTo);
export type TimeseriesQuery = z.infer<typeof TimeseriesQuery>;

export const BREAKDOWN_DIMENSIONS = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "campaign",
  "event",
] as const;
export const BreakdownBy = z.enum(BREAKDOWN_DIMENSIONS, {
  error: `Must be one of ${BREAKDOWN_DIMENSIONS.join(", ")}.`,
});
export type BreakdownBy = z.infer<typeof BreakdownBy>;

export const OutputFormat = z.enum(["json", "csv"], { error: "Must be json or csv." });

export const BreakdownQuery = AnalyticsFilters.extend({
  by: BreakdownBy,
  format: OutputFormat.optional(),
}).superRefine(fromBeforeTo);
export type BreakdownQuery = z.infer<typeof BreakdownQuery>;

export const EngagementQuery = z
  .object({
    eventId: Filter.optional(),
    from: dateBound(false).optional(),
    to: dateBound(true).optional(),
    top: z.coerce.number().int("Must be an integer.").min(1).max(100).default(10),
  })
  .strict()
  .superRefine(fromBeforeTo);
export type EngagementQuery = z.infer<typeof EngagementQuery>;

// ---- Answers ---------------------------------------------------------------------------------------------

export const Summary = z.object(
  Object.fromEntries(METRICS.map((m) => [m, z.number().int()])) as Record<Metric, z.ZodNumber>,
);
export type Summary = z.infer<typeof Summary>;

export const RATES = [
  "deliveryRate",
  "bounceRate",
  "failureRate",
  "complaintRate",
  "openRate",
  "clickRate",
  "clickToOpenRate",
  "unsubscribeRate",
  "registrationRate",
  "clickToRegistrationRate",
] as const;
export const Rates = z
  .object(
    Object.fromEntries(RATES.map((r) => [r, z.number()])) as Record<(typeof RATES)[number], z.ZodNumber>,
  )
  .describe("Ratios in [0, 1]; 0 when the denominator is 0");
export type Rates = z.infer<typeof Rates>;

export const SummaryResponse = z.object({
  summary: Summary,
  rates: Rates,
  excluded: z
    .object({
      botOpened: z.number().int(),
      proxyOpened: z.number().int(),
      botClicked: z.number().int(),
      proxyClicked: z.number().int(),
    })
    .describe("Opens and clicks left out of the unique counts"),
});
export type SummaryResponse = z.infer<typeof SummaryResponse>;

export const TimeseriesResponse = z.object({
  metric: Metric,
  interval: Interval,
  from: z.string(),
  to: z.string(),
  points: z.array(z.object({ t: z.string(), value: z.number().int() })),
});
export type TimeseriesResponse = z.infer<typeof TimeseriesResponse>;

export const BreakdownRow = z.object({ key: z.string(), summary: Summary, rates: Rates });
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const BreakdownResponse = z.object({ by: BreakdownBy, rows: z.array(BreakdownRow) });
export type BreakdownResponse = z.infer<typeof BreakdownResponse>;

const Bucket = z.object({ bucket: z.string(), users: z.number().int() });
const Ranked = z.object({ userId: z.string(), name: z.string(), count: z.number().int() });

export const EngagementResponse = z.object({
  users: z.number().int(),
  hostedDistribution: z.array(Bucket),
  attendedDistribution: z.array(Bucket),
  topAttendees: z.array(Ranked),
  topHosts: z.array(Ranked),
  events: z.array(
    z.object({
      eventId: z.string(),
      title: z.string(),
      startAt: z.string(),
      registered: z.number().int(),
      capacity: z.number().int().nullable(),
      fillRate: z.number().nullable().describe("registered / capacity; null when unlimited"),
    }),
  ),
  registrationsOverTime: z.array(
    z.object({ eventId: z.string(), points: z.array(z.object({ t: z.string(), value: z.number().int() })) }),
  ),
});
export type EngagementResponse = z.infer<typeof EngagementResponse>;
