import {
  type BreakdownBy,
  type BreakdownRow,
  COUNTERS,
  type Counter,
  type Interval,
  type MessageEventInput,
  METRICS,
  type Metric,
  type Rates,
  type Summary,
  type SummaryResponse,
} from "@/lib/analytics/schemas";
import {
  DAY_MS,
  HOUR_MS,
  bucketStarts,
  dayKey,
  dayStart,
  floorDay,
  floorHour,
  hourOfDay,
} from "@/lib/analytics/time";

/*
 * Pure rollup math. A rollup row is one UTC day of one (campaign, event, utm_source, utm_medium,
 * utm_campaign) combination, with a total and 24 hourly slots per counter. Ingest turns one status event into
 * counter increments on one row; reads fold matching rows into summaries, series and breakdowns.
 */

export const COUNTER_COUNT = COUNTERS.length;
const INDEX = Object.fromEntries(COUNTERS.map((c, i) => [c, i])) as Record<Counter, number>;

export function counterIndex(counter: Counter): number {
  return INDEX[counter];
}

/** The dimensions of a rollup row; "" means "none" (no campaign, no event, no such UTM value). */
export interface RollupDims {
  campaignId: string;
  eventId: string;
  source: string;
  medium: string;
  campaign: string;
}

export interface RollupRow extends RollupDims {
  day: string;
  dayMs: number;
  /** Per-counter day totals, indexed like COUNTERS. */
  totals: Float64Array;
  /** Per-counter hourly counts at [counter * 24 + hour]. */
  hours: Float64Array;
}

/** UTM values are compared case-insensitively, so they are stored lower-cased and trimmed. */
export function normaliseDim(value: string | undefined): string {
  return (value ?? "").trim().toLowerCase();
}

export function dimsOf(input: Pick<MessageEventInput, "campaignId" | "eventIdOfEvent" | "utm">): RollupDims {
  return {
    campaignId: input.campaignId ?? "",
    eventId: input.eventIdOfEvent ?? "",
    source: normaliseDim(input.utm?.source),
    medium: normaliseDim(input.utm?.medium),
    campaign: normaliseDim(input.utm?.campaign),
  };
}

/** In-memory identity of a row; not a storage key (lib/db/keys.ts owns those). */
export function rowId(day: string, d: RollupDims): string {
  return [day, d.campaignId, d.eventId, d.source, d.medium, d.campaign].join("\u001f");
}

export function emptyRow(day: string, dims: RollupDims): RollupRow {
  return {
    ...dims,
    day,
    dayMs: dayStart(day),
    totals: new Float64Array(COUNTER_COUNT),
    hours: new Float64Array(COUNTER_COUNT * 24),
  };
}

/** Which kind of first-seen marker an event may set, if any. Only human opens and clicks count as unique. */
export function uniqueKind(input: MessageEventInput): "opened" | "clicked" | null {
  if (input.type !== "opened" && input.type !== "clicked") return null;
  if (input.flags?.bot || input.flags?.privacyProxy) return null;
  if (!input.campaignId || !input.recipientId) return null;
  return input.type;
}

/**
 * The counters one status event increments. `firstSeen` says whether this is the recipient's first human
 * open/click of the campaign (decided by the marker write); flagged traffic is counted apart from uniques.
 */
export function countersFor(input: MessageEventInput, firstSeen: boolean): Counter[] {
  const out: Counter[] = [];
  switch (input.type) {
    case "opened":
    case "clicked": {
      const open = input.type === "opened";
      out.push(open ? "opened" : "clicked");
      if (input.flags?.bot) out.push(open ? "botOpened" : "botClicked");
      else if (input.flags?.privacyProxy) out.push(open ? "proxyOpened" : "proxyClicked");
      else if (firstSeen) out.push(open ? "uniqueOpened" : "uniqueClicked");
      return out;
    }
    default:
      return [input.type];
  }
}

/** Adds `n` to each counter of a row at instant `atMs` (which must fall in the row's day). */
export function applyCounters(row: RollupRow, counters: readonly Counter[], atMs: number, n = 1): void {
  const hour = hourOfDay(atMs);
  for (const c of counters) {
    const i = INDEX[c];
    row.totals[i] = (row.totals[i] ?? 0) + n;
    row.hours[i * 24 + hour] = (row.hours[i * 24 + hour] ?? 0) + n;
  }
}

export { dayKey };

// ---- Reading ---------------------------------------------------------------------------------------------

export interface RollupFilters {
  source?: string;
  medium?: string;
  campaign?: string;
  campaignId?: string;
  eventId?: string;
  /** Inclusive instants; hour precision (the hour containing `fromMs` is included). */
  fromMs?: number;
  toMs?: number;
}

/** Query-string filters (utm_source=…) to row filters. */
export function toRollupFilters(q: {
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  campaignId?: string;
  eventId?: string;
  from?: number;
  to?: number;
}): RollupFilters {
  const f: RollupFilters = {};
  if (q.utm_source !== undefined) f.source = normaliseDim(q.utm_source);
  if (q.utm_medium !== undefined) f.medium = normaliseDim(q.utm_medium);
  if (q.utm_campaign !== undefined) f.campaign = normaliseDim(q.utm_campaign);
  if (q.campaignId !== undefined) f.campaignId = q.campaignId;
  if (q.eventId !== undefined) f.eventId = q.eventId;
  if (q.from !== undefined) f.fromMs = q.from;
  if (q.to !== undefined) f.toMs = q.to;
  return f;
}

function dimsMatch(row: RollupRow, f: RollupFilters): boolean {
  return (
    (f.source === undefined || row.source === f.source) &&
    (f.medium === undefined || row.medium === f.medium) &&
    (f.campaign === undefined || row.campaign === f.campaign) &&
    (f.campaignId === undefined || row.campaignId === f.campaignId) &&
    (f.eventId === undefined || row.eventId === f.eventId)
  );
}

/** Hour slots [first, last] of a row's day that fall in the filter range, or null when none do. */
function hourSpan(row: RollupRow, f: RollupFilters): [number, number] | null {
  const from = f.fromMs === undefined ? -Infinity : floorHour(f.fromMs);
  const to = f.toMs ?? Infinity;
  const dayEnd = row.dayMs + DAY_MS - 1;
  if (dayEnd < from || row.dayMs > to) return null;
  const first = from <= row.dayMs ? 0 : Math.floor((from - row.dayMs) / HOUR_MS);
  const last = to >= dayEnd ? 23 : Math.floor((to - row.dayMs) / HOUR_MS);
  return first > last ? null : [first, last];
}

/** Adds the part of `row` inside the filter range into `acc` (length COUNTER_COUNT). */
function addRow(acc: Float64Array, row: RollupRow, span: [number, number]): void {
  if (span[0] === 0 && span[1] === 23) {
    for (let i = 0; i < COUNTER_COUNT; i++) acc[i]! += row.totals[i]!;
    return;
  }
  for (let i = 0; i < COUNTER_COUNT; i++) {
    let sum = 0;
    for (let h = span[0]; h <= span[1]; h++) sum += row.hours[i * 24 + h]!;
    acc[i]! += sum;
  }
}

/** Sums every matching row into one counter vector. */
export function sumRows(rows: Iterable<RollupRow>, f: RollupFilters): Float64Array {
  const acc = new Float64Array(COUNTER_COUNT);
  for (const row of rows) {
    if (!dimsMatch(row, f)) continue;
    const span = hourSpan(row, f);
    if (span) addRow(acc, row, span);
  }
  return acc;
}

/** One reported metric from a counter vector. */
export function metricValue(v: Float64Array, metric: Metric): number {
  if (metric === "pending") {
    return Math.max(0, v[INDEX.queued]! - v[INDEX.sent]! - v[INDEX.failed]!);
  }
  return v[INDEX[metric]]!;
}

export function toSummary(v: Float64Array): Summary {
  return Object.fromEntries(METRICS.map((m) => [m, metricValue(v, m)])) as Summary;
}

const ratio = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : 0);

/** Rates over a summary; delivery outcomes against sends, engagement against deliveries. */
export function toRates(s: Summary): Rates {
  return {
    deliveryRate: ratio(s.delivered, s.sent),
    bounceRate: ratio(s.bounced, s.sent),
    failureRate: ratio(s.failed, s.sent + s.failed),
    complaintRate: ratio(s.complained, s.delivered),
    openRate: ratio(s.uniqueOpened, s.delivered),
    clickRate: ratio(s.uniqueClicked, s.delivered),
    clickToOpenRate: ratio(s.uniqueClicked, s.uniqueOpened),
    unsubscribeRate: ratio(s.unsubscribed, s.delivered),
    registrationRate: ratio(s.registered, s.delivered),
    clickToRegistrationRate: ratio(s.registered, s.uniqueClicked),
  };
}

export function summarize(rows: Iterable<RollupRow>, f: RollupFilters): SummaryResponse {
  const summary = toSummary(sumRows(rows, f));
  return {
    summary,
    rates: toRates(summary),
    excluded: {
      botOpened: summary.botOpened,
      proxyOpened: summary.proxyOpened,
      botClicked: summary.botClicked,
      proxyClicked: summary.proxyClicked,
    },
  };
}

/**
 * Zero-filled series of one metric between fromMs and toMs (both required here; callers pick defaults).
 * Each point's `t` is the bucket start in UTC.
 */
export function timeseries(
  rows: Iterable<RollupRow>,
  f: RollupFilters & { fromMs: number; toMs: number },
  metric: Metric,
  interval: Interval,
): { t: string; value: number }[] {
  const starts = bucketStarts(f.fromMs, f.toMs, interval);
  const first = starts[0] ?? 0;
  const acc = starts.map(() => new Float64Array(COUNTER_COUNT));
  for (const row of rows) {
    if (!dimsMatch(row, f)) continue;
    const span = hourSpan(row, f);
    if (!span) continue;
    if (interval === "day") {
      const bucket = acc[(row.dayMs - floorDay(first)) / DAY_MS];
      if (bucket) addRow(bucket, row, span);
      continue;
    }
    const base = (row.dayMs - first) / HOUR_MS;
    for (let h = span[0]; h <= span[1]; h++) {
      const bucket = acc[base + h];
      if (!bucket) continue;
      for (let i = 0; i < COUNTER_COUNT; i++) bucket[i]! += row.hours[i * 24 + h]!;
    }
  }
  return starts.map((t, i) => ({ t: new Date(t).toISOString(), value: metricValue(acc[i]!, metric) }));
}

const NONE = "(none)";

function groupKey(row: RollupRow, by: BreakdownBy): string {
  const value =
    by === "utm_source"
      ? row.source
      : by === "utm_medium"
        ? row.medium
        : by === "utm_campaign"
          ? row.campaign
          : by === "campaign"
            ? row.campaignId
            : row.eventId;
  return value === "" ? NONE : value;
}

/** One row per value of `by` (missing values grouped as "(none)"), largest `sent` first, then by key. */
export function breakdown(rows: Iterable<RollupRow>, f: RollupFilters, by: BreakdownBy): BreakdownRow[] {
  const groups = new Map<string, Float64Array>();
  for (const row of rows) {
    if (!dimsMatch(row, f)) continue;
    const span = hourSpan(row, f);
    if (!span) continue;
    const key = groupKey(row, by);
    let acc = groups.get(key);
    if (!acc) groups.set(key, (acc = new Float64Array(COUNTER_COUNT)));
    addRow(acc, row, span);
  }
  return [...groups]
    .map(([key, v]) => {
      const summary = toSummary(v);
      return { key, summary, rates: toRates(summary) };
    })
    .sort(
      (a, b) =>
        b.summary.sent - a.summary.sent ||
        b.summary.registered - a.summary.registered ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

/** Registrations per UTC day for each event with any, most registrations first, at most `top` events. */
export function registrationsByEvent(
  rows: Iterable<RollupRow>,
  f: RollupFilters & { fromMs: number; toMs: number },
  top: number,
): { eventId: string; points: { t: string; value: number }[] }[] {
  const perEvent = new Map<string, RollupRow[]>();
  for (const row of rows) {
    if (row.eventId === "" || row.totals[INDEX.registered] === 0 || !dimsMatch(row, f)) continue;
    const list = perEvent.get(row.eventId);
    if (list) list.push(row);
    else perEvent.set(row.eventId, [row]);
  }
  return [...perEvent]
    .map(([eventId, list]) => ({ eventId, points: timeseries(list, f, "registered", "day") }))
    .map((e) => ({ ...e, total: e.points.reduce((s, p) => s + p.value, 0) }))
    .filter((e) => e.total > 0)
    .sort((a, b) => b.total - a.total || (a.eventId < b.eventId ? -1 : 1))
    .slice(0, top)
    .map(({ eventId, points }) => ({ eventId, points }));
}
