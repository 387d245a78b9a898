import {
  BREAKDOWN_DIMENSIONS,
  type BreakdownBy,
  type Interval,
  METRICS,
  type Metric,
  type SummaryResponse,
} from "@/lib/analytics/schemas";

/*
 * Analytics view state as URL parameters, so a view is shareable and the back button walks through filter
 * changes: `?range=7d|30d|90d` or `?from=YYYY-MM-DD&to=YYYY-MM-DD`, `utm_source`, `utm_medium`,
 * `utm_campaign`, `campaign`, `event`, `metric`, `interval`, `by`, `bots=include`. Defaults stay out of the URL.
 * Pure and isomorphic: the server page and the client component read the same way.
 */

export const RANGE_PRESETS = [7, 30, 90] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface AnalyticsUrlState {
  /** A preset span ending today (UTC), or null when from/to are given. */
  preset: RangePreset | null;
  from: string | null;
  to: string | null;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  campaignId: string;
  eventId: string;
  metric: Metric;
  interval: Interval;
  by: BreakdownBy;
  /** Bots and privacy proxies are left out of opens/clicks unless asked for. */
  includeBots: boolean;
}

export const DEFAULT_ANALYTICS_STATE: AnalyticsUrlState = {
  preset: 30,
  from: null,
  to: null,
  utmSource: "",
  utmMedium: "",
  utmCampaign: "",
  campaignId: "",
  eventId: "",
  metric: "registered",
  interval: "day",
  by: "utm_source",
  includeBots: false,
};

/** The metrics offered in the picker (the bot counters are shown through the toggle instead). */
export const PICKABLE_METRICS = [
  "sent",
  "delivered",
  "opened",
  "clicked",
  "registered",
  "bounced",
  "failed",
  "unsubscribed",
] as const satisfies readonly Metric[];

export type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_TEXT = 200;

function read(params: SearchParamsLike, key: string): string {
  const raw = params instanceof URLSearchParams ? params.get(key) : params[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return (value ?? "").trim().slice(0, MAX_TEXT);
}

function validDate(value: string): string | null {
  if (!DATE.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? null : value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Reads the view from search params; anything malformed falls back to its default instead of failing. */
export function parseAnalyticsSearch(params: SearchParamsLike): AnalyticsUrlState {
  const d = DEFAULT_ANALYTICS_STATE;
  let from = validDate(read(params, "from"));
  let to = validDate(read(params, "to"));
  if (from && to && from > to) [from, to] = [to, from];
  const rangeRaw = read(params, "range");
  const presetNumber = Number(rangeRaw.replace(/d$/, ""));
  const preset = (RANGE_PRESETS as readonly number[]).includes(presetNumber)
    ? (presetNumber as RangePreset)
    : null;
  const custom = from !== null || to !== null;
  return {
    preset: custom ? null : (preset ?? d.preset),
    from: custom ? from : null,
    to: custom ? to : null,
    utmSource: read(params, "utm_source"),
    utmMedium: read(params, "utm_medium"),
    utmCampaign: read(params, "utm_campaign"),
    campaignId: read(params, "campaign"),
    eventId: read(params, "event"),
    metric: oneOf(read(params, "metric"), METRICS, d.metric),
    interval: oneOf(read(params, "interval"), ["hour", "day"] as const, d.interval),
    by: oneOf(read(params, "by"), BREAKDOWN_DIMENSIONS, d.by),
    includeBots: read(params, "bots") === "include",
  };
}

/** Writes the view back; values equal to the defaults are left out so URLs stay short. */
export function analyticsSearchString(state: AnalyticsUrlState): string {
  const d = DEFAULT_ANALYTICS_STATE;
  const out = new URLSearchParams();
  if (state.from || state.to) {
    if (state.from) out.set("from", state.from);
    if (state.to) out.set("to", state.to);
  } else if (state.preset !== null && state.preset !== d.preset) {
    out.set("range", `${state.preset}d`);
  }
  const text: [string, string][] = [
    ["utm_source", state.utmSource],
    ["utm_medium", state.utmMedium],
    ["utm_campaign", state.utmCampaign],
    ["campaign", state.campaignId],
    ["event", state.eventId],
  ];
  for (const [key, value] of text) if (value.trim()) out.set(key, value.trim());
  if (state.metric !== d.metric) out.set("metric", state.metric);
  if (state.interval !== d.interval) out.set("interval", state.interval);
  if (state.by !== d.by) out.set("by", state.by);
  if (state.includeBots) out.set("bots", "include");
  return out.toString();
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The inclusive day range a view covers: a preset ends today (UTC) and spans that many days. */
export function resolveDayRange(
  state: Pick<AnalyticsUrlState, "preset" | "from" | "to">,
  now = Date.now(),
): { from: string; to: string } {
  const today = isoDay(now);
  if (state.from || state.to) {
    const to = state.to ?? today;
    const from = state.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000);
    return { from, to };
  }
  const days = state.preset ?? DEFAULT_ANALYTICS_STATE.preset ?? 30;
  return { from: isoDay(now - (days - 1) * 86_400_000), to: today };
}

/** Filters in the shape of the analytics verbs' query (`SummaryQuery` input). */
export interface AnalyticsFilterInput {
  from: string;
  to: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  campaignId?: string;
  eventId?: string;
}

export function toAnalyticsFilters(state: AnalyticsUrlState, now = Date.now()): AnalyticsFilterInput {
  const range = resolveDayRange(state, now);
  return {
    ...range,
    ...(state.utmSource ? { utm_source: state.utmSource } : {}),
    ...(state.utmMedium ? { utm_medium: state.utmMedium } : {}),
    ...(state.utmCampaign ? { utm_campaign: state.utmCampaign } : {}),
    ...(state.campaignId ? { campaignId: state.campaignId } : {}),
    ...(state.eventId ? { eventId: state.eventId } : {}),
  };
}

/** With bots left out, opens and clicks read the unique (human) counters. */
export function effectiveMetric(metric: Metric, includeBots: boolean): Metric {
  if (includeBots) return metric;
  if (metric === "opened") return "uniqueOpened";
  if (metric === "clicked") return "uniqueClicked";
  return metric;
}

/** The funnel stages from a summary, honouring the bot toggle. */
export function funnelCounts(summary: SummaryResponse["summary"], includeBots: boolean) {
  return {
    sent: summary.sent,
    delivered: summary.delivered,
    opened: includeBots ? summary.opened : summary.uniqueOpened,
    clicked: includeBots ? summary.clicked : summary.uniqueClicked,
    registered: summary.registered,
  };
}

export const METRIC_LABELS: Record<Metric, string> = {
  sent: "Sent",
  failed: "Failed",
  pending: "Pending",
  delivered: "Delivered",
  bounced: "Bounced",
  complained: "Complaints",
  opened: "Opens",
  uniqueOpened: "Opens (humans)",
  clicked: "Clicks",
  uniqueClicked: "Clicks (humans)",
  unsubscribed: "Unsubscribes",
  registered: "Registrations",
  botOpened: "Bot opens",
  proxyOpened: "Proxy opens",
  botClicked: "Bot clicks",
  proxyClicked: "Proxy clicks",
};

export const BREAKDOWN_LABELS: Record<BreakdownBy, string> = {
  utm_source: "Source",
  utm_medium: "Medium",
  utm_campaign: "UTM campaign",
  campaign: "Campaign",
  event: "Event",
};

/** File name for a breakdown download, e.g. `rally-breakdown-utm_source-2026-10-27-to-2026-11-25.csv`. */
export function breakdownFileName(by: BreakdownBy, range: { from: string; to: string }): string {
  return `rally-breakdown-${by}-${range.from}-to-${range.to}.csv`;
}
