"use server";

import { getAnalyticsBreakdown } from "@/lib/analytics/get-breakdown";
import { getAnalyticsSummary } from "@/lib/analytics/get-summary";
import { getAnalyticsTimeseries } from "@/lib/analytics/get-timeseries";
import {
  BreakdownQuery,
  type BreakdownResponse,
  SummaryQuery,
  type SummaryResponse,
  TimeseriesQuery,
  type TimeseriesResponse,
} from "@/lib/analytics/schemas";
import { runAction } from "@/lib/auth/action";
import { type ActionResult } from "@/lib/auth/action-result";

// Each action: session Ctx → zod parse → one read verb (viewers may call them; the verb checks "read").

export async function getSummaryAction(input: unknown): Promise<ActionResult<SummaryResponse>> {
  return runAction((ctx) => getAnalyticsSummary({ ctx, input: SummaryQuery.parse(input) }));
}

export async function getTimeseriesAction(input: unknown): Promise<ActionResult<TimeseriesResponse>> {
  return runAction((ctx) => getAnalyticsTimeseries({ ctx, input: TimeseriesQuery.parse(input) }));
}

export async function getBreakdownAction(input: unknown): Promise<ActionResult<BreakdownResponse>> {
  return runAction((ctx) => getAnalyticsBreakdown({ ctx, input: BreakdownQuery.parse(input) }));
}
