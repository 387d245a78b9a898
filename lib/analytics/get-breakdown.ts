import "server-only";

import { breakdown, toRollupFilters } from "@/lib/analytics/rollup";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { BreakdownQuery, type BreakdownResponse } from "@/lib/analytics/schemas";
import { type Ctx, requireScope } from "@/lib/context";

/**
 * Counts and rates grouped by a UTM field, campaign or event.
 * @throws ZodError on bad input; UnavailableError; Unauthorized/ForbiddenError.
 */
export async function getAnalyticsBreakdown({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: BreakdownQuery;
}): Promise<BreakdownResponse> {
  requireScope(ctx, "read");
  const q = BreakdownQuery.parse(input);
  return { by: q.by, rows: breakdown(await getRollupTable(), toRollupFilters(q), q.by) };
}
