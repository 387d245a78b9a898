import type { Metadata } from "next";
import { Suspense } from "react";

import { AnalyticsClient } from "@/app/(dashboard)/analytics/client";
import {
  analyticsSearchString,
  effectiveMetric,
  parseAnalyticsSearch,
  toAnalyticsFilters,
} from "@/components/analytics/analytics-url";
import { PageHeader } from "@/components/layout/page-header";
import { getAnalyticsBreakdown } from "@/lib/analytics/get-breakdown";
import { getAnalyticsSummary } from "@/lib/analytics/get-summary";
import { getAnalyticsTimeseries } from "@/lib/analytics/get-timeseries";
import { BreakdownQuery, SummaryQuery, TimeseriesQuery } from "@/lib/analytics/schemas";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/get-campaign";
import { listEvents } from "@/lib/events/get-event";

export const metadata: Metadata = { title: "Analytics" };

/** A failed prefetch leaves the client to fetch (and show its own error state) instead of failing the page. */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    console.error("[analytics] prefetch failed", error);
    return null;
  }
}

export default async function AnalyticsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireSessionMember();
  const ctx = await getSessionCtx();
  const state = parseAnalyticsSearch(await searchParams);
  const filters = toAnalyticsFilters(state);
  const metric = effectiveMetric(state.metric, state.includeBots);
  const [summary, timeseries, breakdown, campaigns, events] = await Promise.all([
    orNull(getAnalyticsSummary({ ctx, input: SummaryQuery.parse(filters) })),
    orNull(
      getAnalyticsTimeseries({
        ctx,
        input: TimeseriesQuery.parse({ ...filters, metric, interval: state.interval }),
      }),
    ),
    orNull(getAnalyticsBreakdown({ ctx, input: BreakdownQuery.parse({ ...filters, by: state.by }) })),
    orNull(listCampaigns({ ctx, input: { limit: 100 } })),
    orNull(listEvents({ ctx, input: { limit: 100 } })),
  ]);
  return (
    <>
      <PageHeader title="Analytics" description="How campaigns turn into registrations." />
      <Suspense>
        <AnalyticsClient
          initial={{ search: analyticsSearchString(state), summary, timeseries, breakdown }}
          campaigns={(campaigns?.items ?? []).map((c) => ({ id: c.id, label: c.name }))}
          events={(events?.items ?? []).map((e) => ({ id: e.id, label: e.title }))}
        />
      </Suspense>
    </>
  );
}
