/** Pure shaping and formatting for the chart components; no React, so it is cheap to test. */

export const FUNNEL_STAGES = [
  { key: "sent", label: "Sent" },
  { key: "delivered", label: "Delivered" },
  { key: "opened", label: "Opened" },
  { key: "clicked", label: "Clicked" },
  { key: "registered", label: "Registered" },
] as const;

export type FunnelStage = (typeof FUNNEL_STAGES)[number]["key"];
export type FunnelCounts = Record<FunnelStage, number>;

export interface FunnelStep {
  key: FunnelStage;
  label: string;
  value: number;
  /** Share of the previous stage (null for the first stage or when the previous is 0). */
  ofPrevious: number | null;
  /** Share of the first stage (null when nothing was sent). */
  ofFirst: number | null;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Turns campaign counts into ordered funnel steps with step-to-step and overall conversion. */
export function funnelSteps(counts: FunnelCounts): FunnelStep[] {
  const first = counts.sent;
  return FUNNEL_STAGES.map(({ key, label }, index) => {
    const value = counts[key];
    const previousStage = FUNNEL_STAGES[index - 1];
    return {
      key,
      label,
      value,
      ofPrevious: previousStage ? ratio(value, counts[previousStage.key]) : null,
      ofFirst: ratio(value, first),
    };
  });
}

export interface BreakdownItem {
  label: string;
  value: number;
}

/**
 * Largest `limit` items, descending, with the rest summed into one "Other" bar so a long tail
 * (many cities, many UTM sources) stays readable on a phone.
 */
export function topWithOther(
  items: readonly BreakdownItem[],
  limit: number,
  otherLabel = "Other",
): BreakdownItem[] {
  const sorted = [...items].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (sorted.length <= limit) return sorted;
  const keep = sorted.slice(0, Math.max(0, limit - 1));
  const rest = sorted.slice(keep.length).reduce((sum, item) => sum + item.value, 0);
  return [...keep, { label: otherLabel, value: rest }];
}

/** True when there is nothing worth drawing: no points, or every value is zero. */
export function isEmptySeries(values: Iterable<number>): boolean {
  for (const value of values) if (value !== 0 && Number.isFinite(value)) return false;
  return true;
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const full = new Intl.NumberFormat("en-US");
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

export function formatCompact(value: number): string {
  return compact.format(value);
}

export function formatCount(value: number): string {
  return full.format(value);
}

export function formatPercent(value: number | null): string {
  return value === null ? "—" : percent.format(value);
}

/** "2026-11-05" → "Nov 5" in UTC, so a day never shifts with the viewer's time zone. Other text passes through. */
export function formatDayLabel(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** Chart colours come from CSS variables so they follow the theme without re-rendering. */
export function seriesColor(index: number): string {
  return `var(--chart-${(index % 5) + 1})`;
}
