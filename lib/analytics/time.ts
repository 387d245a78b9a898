/*
 * UTC time bucketing for rollups. Buckets are UTC hours and days: a day row holds 24 hour slots, so any
 * hour-aligned range can be answered exactly from day rows.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Start of the UTC hour containing `ms`. */
export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** Start of the UTC day containing `ms`. */
export function floorDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** "2026-11-25" for any instant of that UTC day. */
export function dayKey(ms: number): string {
  return new Date(floorDay(ms)).toISOString().slice(0, 10);
}

/** Milliseconds of 00:00Z for a "YYYY-MM-DD" day key. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/** Hour of the UTC day, 0–23. */
export function hourOfDay(ms: number): number {
  return new Date(ms).getUTCHours();
}

/** Bucket starts from floor(from) to floor(to), both included. */
export function bucketStarts(fromMs: number, toMs: number, interval: "hour" | "day"): number[] {
  const step = interval === "hour" ? HOUR_MS : DAY_MS;
  const first = interval === "hour" ? floorHour(fromMs) : floorDay(fromMs);
  const out: number[] = [];
  for (let t = first; t <= toMs; t += step) out.push(t);
  return out;
}
