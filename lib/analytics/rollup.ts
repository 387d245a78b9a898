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
  /** Per-counter hourly counts at [counter * 24 + hour]; 32-bit to halve the in-memory copy. */
  hours: Uint32Array;
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
    hours: new Uint32Array(COUNTER_COUNT * 24),
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

// ---- Columnar table -------------------------------------------------------------------------------------

const DIM_NAMES = ["campaignId", "eventId", "source", "medium", "campaign"] as const;
type DimName = (typeof DIM_NAMES)[number];
const HOURS = COUNTER_COUNT * 24;

/**
 * Rollup rows stored column-wise (dimension values as integer codes, counters in flat typed arrays), so a
 * read folds tens of thousands of rows in a tight loop without touching strings or objects.
 */
export class RollupTable {
  size = 0;
  private capacity = 0;
  day = new Int32Array(0);
  codes: Int32Array[] = DIM_NAMES.map(() => new Int32Array(0));
  totals = new Float64Array(0);
  hours = new Uint32Array(0);
  readonly values: string[][] = DIM_NAMES.map(() => []);
  private readonly dicts: Map<string, number>[] = DIM_NAMES.map(() => new Map());
  private readonly index = new Map<string, number>();

  static from(rows: Iterable<RollupRow>): RollupTable {
    const table = new RollupTable();
    for (const row of rows) table.upsert(row);
    return table;
  }

  /** Inserts a row or replaces the counters of the row with the same day and dimensions. */
  upsert(row: RollupRow): void {
    const id = rowId(row.day, row);
    let r = this.index.get(id);
    if (r === undefined) {
      if (this.size === this.capacity) this.grow();
      r = this.size++;
      this.index.set(id, r);
      this.day[r] = Math.floor(row.dayMs / DAY_MS);
      DIM_NAMES.forEach((name, d) => {
        this.codes[d]![r!] = this.code(d, row[name]);
      });
    }
    this.totals.set(row.totals, r * COUNTER_COUNT);
    this.hours.set(row.hours, r * HOURS);
  }

  /** Code of a dimension value, or -1 when no row has it. */
  lookup(dim: DimName, value: string): number {
    return this.dicts[DIM_NAMES.indexOf(dim)]!.get(value) ?? -1;
  }

  private code(d: number, value: string): number {
    const dict = this.dicts[d]!;
    let c = dict.get(value);
    if (c === undefined) {
      c = this.values[d]!.length;
      dict.set(value, c);
      this.values[d]!.push(value);
    }
    return c;
  }

  private grow(): void {
    const cap = Math.max(1024, this.capacity * 2);
    const grown = <T extends Int32Array | Float64Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
      width: number,
    ): T => {
      const next = make(cap * width);
      next.set(old);
      return next;
    };
    this.day = grown(this.day, (n) => new Int32Array(n), 1);
    this.codes = this.codes.map((c) => grown(c, (n) => new Int32Array(n), 1));
    this.totals = grown(this.totals, (n) => new Float64Array(n), COUNTER_COUNT);
    this.hours = grown(this.hours, (n) => new Uint32Array(n), HOURS);
    this.capacity = cap;
  }
}

/** Visits each matching row with the hour slots [first, last] of its day that fall in the range. */
function scan(
  t: RollupTable,
  f: RollupFilters,
  visit: (r: number, first: number, last: number) => void,
): void {
  const want: number[] = [];
  for (let d = 0; d < DIM_NAMES.length; d++) {
    const value = f[DIM_NAMES[d] as keyof RollupFilters] as string | undefined;
    if (value === undefined) {
      want.push(-2);
      continue;
    }
    const code = t.lookup(DIM_NAMES[d]!, value);
    if (code < 0) return; // nothing has this value: all zeros
    want.push(code);
  }
  const from = f.fromMs === undefined ? -Infinity : floorHour(f.fromMs);
  const to = f.toMs ?? Infinity;
  const fromDay = Math.floor(from / DAY_MS);
  const toDay = Math.floor(to / DAY_MS);
  const fromHour = from === -Infinity ? 0 : Math.floor((from - fromDay * DAY_MS) / HOUR_MS);
  const toHour = to === Infinity ? 23 : Math.floor((to - toDay * DAY_MS) / HOUR_MS);
  const [w0, w1, w2, w3, w4] = want as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4] = t.codes as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];
  const days = t.day;
  for (let r = 0; r < t.size; r++) {
    const day = days[r]!;
    if (day < fromDay || day > toDay) continue;
    if ((w0 !== -2 && c0[r] !== w0) || (w1 !== -2 && c1[r] !== w1) || (w2 !== -2 && c2[r] !== w2)) continue;
    if ((w3 !== -2 && c3[r] !== w3) || (w4 !== -2 && c4[r] !== w4)) continue;
    const first = day === fromDay ? fromHour : 0;
    const last = day === toDay ? toHour : 23;
    if (first <= last) visit(r, first, last);
  }
}

/** Adds row r's counters for hours [first, last] into acc at offset `at`. */
function addInto(
  t: RollupTable,
  r: number,
  first: number,
  last: number,
  acc: Float64Array,
  at: number,
): void {
  if (first === 0 && last === 23) {
    const base = r * COUNTER_COUNT;
    for (let i = 0; i < COUNTER_COUNT; i++) acc[at + i]! += t.totals[base + i]!;
    return;
  }
  const base = r * HOURS;
  for (let i = 0; i < COUNTER_COUNT; i++) {
    let sum = 0;
    for (let h = first; h <= last; h++) sum += t.hours[base + i * 24 + h]!;
    acc[at + i]! += sum;
  }
}

/** Sums every matching row into one counter vector. */
export function sumRows(t: RollupTable, f: RollupFilters): Float64Array {
  const acc = new Float64Array(COUNTER_COUNT);
  scan(t, f, (r, first, last) => addInto(t, r, first, last, acc, 0));
  return acc;
}

/** One reported metric from a counter vector (at offset `at`). */
export function metricValue(v: Float64Array, metric: Metric, at = 0): number {
  if (metric === "pending") {
    return Math.max(0, v[at + INDEX.queued]! - v[at + INDEX.sent]! - v[at + INDEX.failed]!);
  }
  return v[at + INDEX[metric]]!;
}

export function toSummary(v: Float64Array, at = 0): Summary {
  return Object.fromEntries(METRICS.map((m) => [m, metricValue(v, m, at)])) as Summary;
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

export function summarize(t: RollupTable, f: RollupFilters): SummaryResponse {
  const summary = toSummary(sumRows(t, f));
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
  t: RollupTable,
  f: RollupFilters & { fromMs: number; toMs: number },
  metric: Metric,
  interval: Interval,
): { t: string; value: number }[] {
  const starts = bucketStarts(f.fromMs, f.toMs, interval);
  const first = starts[0] ?? 0;
  const acc = new Float64Array(starts.length * COUNTER_COUNT);
  const firstDay = Math.floor(floorDay(first) / DAY_MS);
  // Only the counters the metric is made of are summed (pending needs three).
  const need = metric === "pending" ? [INDEX.queued, INDEX.sent, INDEX.failed] : [INDEX[metric]];
  scan(t, f, (r, h0, h1) => {
    const base = r * HOURS;
    if (interval === "day") {
      const at = (t.day[r]! - firstDay) * COUNTER_COUNT;
      for (const i of need) {
        if (h0 === 0 && h1 === 23) acc[at + i]! += t.totals[r * COUNTER_COUNT + i]!;
        else for (let h = h0; h <= h1; h++) acc[at + i]! += t.hours[base + i * 24 + h]!;
      }
      return;
    }
    const bucket0 = (t.day[r]! * DAY_MS - first) / HOUR_MS;
    for (let h = h0; h <= h1; h++) {
      const at = (bucket0 + h) * COUNTER_COUNT;
      if (at < 0 || at >= acc.length) continue;
      for (const i of need) acc[at + i]! += t.hours[base + i * 24 + h]!;
    }
  });
  return starts.map((ms, i) => ({
    t: new Date(ms).toISOString(),
    value: metricValue(acc, metric, i * COUNTER_COUNT),
  }));
}

const NONE = "(none)";
const GROUP_DIM: Record<BreakdownBy, DimName> = {
  utm_source: "source",
  utm_medium: "medium",
  utm_campaign: "campaign",
  campaign: "campaignId",
  event: "eventId",
};

/** One row per value of `by` (missing values grouped as "(none)"), largest `sent` first, then by key. */
export function breakdown(t: RollupTable, f: RollupFilters, by: BreakdownBy): BreakdownRow[] {
  const d = DIM_NAMES.indexOf(GROUP_DIM[by]);
  const codes = t.codes[d]!;
  const values = t.values[d]!;
  const acc = new Float64Array(values.length * COUNTER_COUNT);
  const seen = new Uint8Array(values.length);
  scan(t, f, (r, first, last) => {
    const c = codes[r]!;
    seen[c] = 1;
    addInto(t, r, first, last, acc, c * COUNTER_COUNT);
  });
  const out: BreakdownRow[] = [];
  for (let c = 0; c < values.length; c++) {
    if (!seen[c]) continue;
    const summary = toSummary(acc, c * COUNTER_COUNT);
    out.push({ key: values[c] === "" ? NONE : values[c]!, summary, rates: toRates(summary) });
  }
  return out.sort(
    (a, b) =>
      b.summary.sent - a.summary.sent ||
      b.summary.registered - a.summary.registered ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** Registrations per UTC day for each event with any, most registrations first, at most `top` events. */
export function registrationsByEvent(
  t: RollupTable,
  f: RollupFilters & { fromMs: number; toMs: number },
  top: number,
): { eventId: string; points: { t: string; value: number }[] }[] {
  const starts = bucketStarts(f.fromMs, f.toMs, "day");
  const firstDay = Math.floor((starts[0] ?? 0) / DAY_MS);
  const d = DIM_NAMES.indexOf("eventId");
  const perEvent = new Map<number, Float64Array>();
  const reg = INDEX.registered;
  scan(t, f, (r, h0, h1) => {
    const code = t.codes[d]![r]!;
    if (t.values[d]![code] === "") return;
    let series = perEvent.get(code);
    if (!series) perEvent.set(code, (series = new Float64Array(starts.length)));
    const base = r * HOURS + reg * 24;
    let sum = 0;
    for (let h = h0; h <= h1; h++) sum += t.hours[base + h]!;
    series[t.day[r]! - firstDay]! += sum;
  });
  return [...perEvent]
    .map(([code, series]) => ({
      eventId: t.values[d]![code]!,
      series,
      total: series.reduce((a, b) => a + b, 0),
    }))
    .filter((e) => e.total > 0)
    .sort((a, b) => b.total - a.total || (a.eventId < b.eventId ? -1 : 1))
    .slice(0, top)
    .map(({ eventId, series }) => ({
      eventId,
      points: starts.map((ms, i) => ({ t: new Date(ms).toISOString(), value: series[i]! })),
    }));
}
