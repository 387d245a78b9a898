"use client";

import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import {
  getBreakdownAction,
  getSummaryAction,
  getTimeseriesAction,
} from "@/app/(dashboard)/analytics/actions";
import { AnalyticsFilters, type FilterOption } from "@/components/analytics/analytics-filters";
import {
  analyticsSearchString,
  BREAKDOWN_LABELS,
  breakdownFileName,
  effectiveMetric,
  funnelCounts,
  METRIC_LABELS,
  parseAnalyticsSearch,
  PICKABLE_METRICS,
  type AnalyticsUrlState,
  toAnalyticsFilters,
} from "@/components/analytics/analytics-url";
import { BreakdownTable } from "@/components/analytics/breakdown-table";
import { downloadText } from "@/components/analytics/download";
import { BreakdownBarChart } from "@/components/charts/breakdown-bar-chart";
import { FunnelChart } from "@/components/charts/funnel-chart";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { breakdownCsv } from "@/lib/analytics/csv";
import { analyticsKeys, analyticsQueryOptions } from "@/lib/analytics/query-options";
import {
  BREAKDOWN_DIMENSIONS,
  type BreakdownBy,
  type BreakdownResponse,
  type Interval,
  type Metric,
  type SummaryResponse,
  type TimeseriesResponse,
} from "@/lib/analytics/schemas";

export interface AnalyticsInitial {
  /** The URL query the server rendered for; its data is only reused while the URL still says that. */
  search: string;
  summary: SummaryResponse | null;
  timeseries: TimeseriesResponse | null;
  breakdown: BreakdownResponse | null;
}

function pointLabel(t: string, interval: Interval): string {
  return interval === "day" ? t.slice(0, 10) : `${t.slice(5, 10)} ${t.slice(11, 16)}`;
}

/** Funnel, time series and breakdown for the filters in the URL. Render inside <Suspense>. */
export function AnalyticsClient({
  initial,
  campaigns,
  events,
}: {
  initial: AnalyticsInitial;
  campaigns: FilterOption[];
  events: FilterOption[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const state = useMemo(() => parseAnalyticsSearch(new URLSearchParams(params.toString())), [params]);
  const search = analyticsSearchString(state);
  const isInitial = search === initial.search;

  const navigate = useCallback(
    (next: AnalyticsUrlState) => {
      const qs = analyticsSearchString(next);
      router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const filters = useMemo(() => toAnalyticsFilters(state), [state]);
  const metric = effectiveMetric(state.metric, state.includeBots);
  const tsQuery = { ...filters, metric, interval: state.interval };
  const bdQuery = { ...filters, by: state.by };

  const summary = useQuery({
    ...analyticsQueryOptions(analyticsKeys.summary(filters), getSummaryAction, filters),
    initialData: isInitial ? (initial.summary ?? undefined) : undefined,
  });
  const series = useQuery({
    ...analyticsQueryOptions(analyticsKeys.timeseries(tsQuery), getTimeseriesAction, tsQuery),
    initialData: isInitial ? (initial.timeseries ?? undefined) : undefined,
  });
  const breakdown = useQuery({
    ...analyticsQueryOptions(analyticsKeys.breakdown(bdQuery), getBreakdownAction, bdQuery),
    initialData: isInitial ? (initial.breakdown ?? undefined) : undefined,
  });

  const names = useMemo(() => {
    const byDim: Partial<Record<BreakdownBy, Map<string, string>>> = {
      campaign: new Map(campaigns.map((c) => [c.id, c.label])),
      event: new Map(events.map((e) => [e.id, e.label])),
    };
    return (key: string) => byDim[state.by]?.get(key) ?? (key || "(none)");
  }, [campaigns, events, state.by]);

  const seriesData = (series.data?.points ?? []).map((p) => ({
    date: pointLabel(p.t, state.interval),
    value: p.value,
  }));
  const breakdownRows = (breakdown.data?.rows ?? []).map((r) => ({ ...r, key: names(r.key) }));
  const metricLabel = METRIC_LABELS[metric];
  const dimensionLabel = BREAKDOWN_LABELS[state.by];

  return (
    <div className="flex flex-col gap-6">
      <AnalyticsFilters state={state} onChange={navigate} campaigns={campaigns} events={events} />

      <FunnelChart
        title="Campaign funnel"
        description={`Sent → delivered → opened → clicked → registered, ${filters.from} to ${filters.to}${state.includeBots ? " (bots included)" : ""}`}
        counts={summary.data ? funnelCounts(summary.data.summary, state.includeBots) : null}
        loading={summary.isPending}
        error={summary.error ? summary.error.message : null}
        emptyMessage="No campaign activity for these filters."
      />

      <section aria-labelledby="ts-controls" className="flex flex-col gap-3">
        <h2 id="ts-controls" className="sr-only">
          Time series options
        </h2>
        <div className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="an-metric">Metric</Label>
            <Select
              id="an-metric"
              value={state.metric}
              onChange={(e) => navigate({ ...state, metric: e.target.value as Metric })}
            >
              {PICKABLE_METRICS.map((m) => (
                <option key={m} value={m}>
                  {METRIC_LABELS[m]}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="an-interval">Interval</Label>
            <Select
              id="an-interval"
              value={state.interval}
              onChange={(e) => navigate({ ...state, interval: e.target.value as Interval })}
            >
              <option value="day">Per day</option>
              <option value="hour">Per hour</option>
            </Select>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="an-by">Break down by</Label>
            <Select
              id="an-by"
              value={state.by}
              onChange={(e) => navigate({ ...state, by: e.target.value as BreakdownBy })}
            >
              {BREAKDOWN_DIMENSIONS.map((b) => (
                <option key={b} value={b}>
                  {BREAKDOWN_LABELS[b]}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <div className="grid gap-6 lg:grid-cols-2">
          <TimeSeriesChart
            title={`${metricLabel} over time`}
            description={state.interval === "day" ? "Per day (UTC)" : "Per hour (UTC)"}
            data={seriesData}
            series={[{ key: "value", label: metricLabel }]}
            loading={series.isPending}
            error={series.error ? series.error.message : null}
          />
          <BreakdownBarChart
            title={`${metricLabel} by ${dimensionLabel.toLowerCase()}`}
            description="Top values; the rest are summed as Other"
            data={breakdownRows.map((r) => ({ label: r.key, value: r.summary[metric] }))}
            valueLabel={metricLabel}
            loading={breakdown.isPending}
            error={breakdown.error ? breakdown.error.message : null}
          />
        </div>
      </section>

      <section aria-labelledby="bd-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="bd-heading" className="text-lg font-semibold">
            Breakdown by {dimensionLabel.toLowerCase()}
          </h2>
          <Button
            variant="outline"
            disabled={!breakdown.data || breakdown.data.rows.length === 0}
            onClick={() =>
              breakdown.data &&
              downloadText(breakdownFileName(state.by, filters), breakdownCsv(state.by, breakdown.data.rows))
            }
          >
            <Download aria-hidden />
            Download CSV
          </Button>
        </div>
        {breakdown.isPending ? (
          <p className="text-sm text-muted-foreground" aria-busy>
            Loading breakdown…
          </p>
        ) : breakdown.error ? (
          <p role="alert" className="text-sm text-destructive">
            The breakdown could not be loaded: {breakdown.error.message}{" "}
            <Button variant="link" onClick={() => void breakdown.refetch()}>
              Try again
            </Button>
          </p>
        ) : breakdownRows.length === 0 ? (
          <p className="rounded-xl border p-6 text-center text-sm text-muted-foreground">
            Nothing to break down for these filters.
          </p>
        ) : (
          <BreakdownTable
            rows={breakdownRows}
            dimensionLabel={dimensionLabel}
            includeBots={state.includeBots}
          />
        )}
      </section>
    </div>
  );
}
