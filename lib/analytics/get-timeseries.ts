import "server-only";

import { timeseries, toRollupFilters } from "@/lib/analytics/rollup";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { type Interval, TimeseriesQuery, type TimeseriesResponse } from "@/lib/analytics/schemas";
import { DAY_MS, HOUR_MS } from "@/lib/analytics/time";
import { type Ctx, requireScope } from "@/lib/context";
import { ValidationError } from "@/lib/errors";

/** Span used when `from` is missing, and the most buckets one answer may hold. */
const DEFAULT_SPAN: Record<Interval, number> = { hour: 48 * HOUR_MS, day: 30 * DAY_MS };
const MAX_BUCKETS: Record<Interval, number> = { hour: 24 * 93, day: 3_700 };

/** Resolves missing bounds: `to` defaults to now, `from` to a default span before `to`. */
export function resolveRange(
  q: { from?: number; to?: number },
  interval: Interval,
  now = Date.now(),
): { fromMs: number; toMs: number } {
  const toMs = q.to ?? Math.max(now, q.from ?? now);
  const fromMs = q.from ?? toMs - DEFAULT_SPAN[interval] + 1;
  const step = interval === "hour" ? HOUR_MS : DAY_MS;
  if ((toMs - fromMs) / step + 1 > MAX_BUCKETS[interval]) {
    throw new ValidationError("The range is too long for this interval.", [
      {
        field: "query.from",
        message: `At most ${MAX_BUCKETS[interval]} ${interval} buckets; narrow from/to or use interval=day.`,
      },
    ]);
  }
  return { fromMs, toMs };
}

/**
 * One metric per hour or day, zero-filled, for the charts.
 * @throws ZodError or ValidationError (field named) on bad input; UnavailableError; Unauthorized/ForbiddenError.
 */
export async function getAnalyticsTimeseries({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: TimeseriesQuery;
}): Promise<TimeseriesResponse> {
  requireScope(ctx, "read");
  const q = TimeseriesQuery.parse(input);
  const range = resolveRange(q, q.interval);
  const filters = { ...toRollupFilters(q), ...range };
  return {
    metric: q.metric,
    interval: q.interval,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    points: timeseries(await getRollupTable(), filters, q.metric, q.interval),
  };
}
