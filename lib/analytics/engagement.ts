import { type EngagementResponse } from "@/lib/analytics/schemas";
import { type EventFill, type UserCounts } from "@/lib/db/analytics-repo";

/*
 * Pure engagement math over users' host/attendee counters and events' registrations.
 */

const BUCKETS: { label: string; min: number; max: number }[] = [
  { label: "0", min: 0, max: 0 },
  { label: "1", min: 1, max: 1 },
  { label: "2", min: 2, max: 2 },
  { label: "3-4", min: 3, max: 4 },
  { label: "5-9", min: 5, max: 9 },
  { label: "10-19", min: 10, max: 19 },
  { label: "20+", min: 20, max: Infinity },
];

/** How many users fall in each count bucket (every bucket listed, zeros included). */
export function distribution(values: readonly number[]): { bucket: string; users: number }[] {
  const counts = BUCKETS.map(() => 0);
  for (const v of values) {
    const i = BUCKETS.findIndex((b) => v >= b.min && v <= b.max);
    if (i >= 0) counts[i]!++;
  }
  return BUCKETS.map((b, i) => ({ bucket: b.label, users: counts[i]! }));
}

/** The `top` users by a counter, ties by name then id; users with 0 are left out. */
export function topBy(
  users: readonly UserCounts[],
  field: "hosted" | "attended",
  top: number,
): { userId: string; name: string; count: number }[] {
  return users
    .filter((u) => u[field] > 0)
    .sort((a, b) => b[field] - a[field] || a.name.localeCompare(b.name) || (a.userId < b.userId ? -1 : 1))
    .slice(0, top)
    .map((u) => ({ userId: u.userId, name: u.name, count: u[field] }));
}

/** Fill rate per event, most recent start first; null rate for unlimited events. */
export function fillRates(events: readonly EventFill[], limit: number): EngagementResponse["events"] {
  return [...events]
    .sort((a, b) => (a.startAt < b.startAt ? 1 : a.startAt > b.startAt ? -1 : 0))
    .slice(0, limit)
    .map((e) => ({
      ...e,
      fillRate: e.capacity ? Math.round((e.registered / e.capacity) * 10_000) / 10_000 : null,
    }));
}
