import "server-only";

import { summarize, toRollupFilters } from "@/lib/analytics/rollup";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { SummaryQuery, type SummaryResponse } from "@/lib/analytics/schemas";
import { type Ctx, requireScope } from "@/lib/context";

/**
 * Funnel counts and rates for any subset of filters; an unknown campaign or UTM value gives zeros.
 * @throws ZodError on bad filters; UnavailableError; Unauthorized/ForbiddenError.
 */
export async function getAnalyticsSummary({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SummaryQuery;
}): Promise<SummaryResponse> {
  requireScope(ctx, "read");
  const q = SummaryQuery.parse(input);
  return summarize(await getRollupTable(), toRollupFilters(q));
}
