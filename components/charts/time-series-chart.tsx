"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

import { ChartDataTable, ChartFrame, type ChartStateProps } from "@/components/charts/chart-frame";
import {
  formatCompact,
  formatCount,
  formatDayLabel,
  isEmptySeries,
  seriesColor,
} from "@/components/charts/chart-data";
import { axisTick, tooltipContentStyle, tooltipLabelStyle } from "@/components/charts/tooltip-style";

export interface TimeSeries {
  /** Property of each point holding this series' value. */
  key: string;
  label: string;
}

export type TimeSeriesPoint = Record<string, string | number>;

export interface TimeSeriesChartProps extends ChartStateProps {
  /** One object per bucket, oldest first, e.g. `{ date: "2026-11-05", opens: 120, clicks: 14 }`. */
  data: readonly TimeSeriesPoint[];
  series: readonly TimeSeries[];
  /** Property holding the bucket label; ISO days are shown as "Nov 5". */
  xKey?: string;
}

function numberAt(point: TimeSeriesPoint, key: string): number {
  const value = point[key];
  return typeof value === "number" ? value : 0;
}

/** One or more metrics over time (registrations per day, opens vs clicks...). */
export function TimeSeriesChart({
  data,
  series,
  xKey = "date",
  height = 280,
  ...state
}: TimeSeriesChartProps) {
  const isEmpty =
    data.length === 0 || isEmptySeries(data.flatMap((p) => series.map((s) => numberAt(p, s.key))));
  return (
    <ChartFrame
      {...state}
      height={height}
      isEmpty={isEmpty}
      srTable={
        <ChartDataTable
          caption={state.title}
          headers={["Date", ...series.map((s) => s.label)]}
          rows={data.map((p) => [
            formatDayLabel(String(p[xKey] ?? "")),
            ...series.map((s) => formatCount(numberAt(p, s.key))),
          ])}
        />
      }
    >
      <LineChart
        responsive
        width="100%"
        height={height}
        data={[...data]}
        accessibilityLayer={false}
        margin={{ top: 8, right: 8, bottom: 0, left: -12 }}
      >
        <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey={xKey}
          tickFormatter={(value) => formatDayLabel(String(value))}
          tick={axisTick}
          tickLine={false}
          axisLine={{ stroke: "var(--border)" }}
          minTickGap={24}
        />
        <YAxis
          tick={axisTick}
          tickLine={false}
          axisLine={false}
          allowDecimals={false}
          tickFormatter={(value) => formatCompact(Number(value))}
          width={48}
        />
        <Tooltip
          contentStyle={tooltipContentStyle}
          labelStyle={tooltipLabelStyle}
          labelFormatter={(value) => formatDayLabel(String(value))}
          formatter={(value, name) => [formatCount(Number(value)), name]}
        />
        {series.length > 1 ? (
          <Legend iconType="circle" iconSize={8} wrapperStyle={{ color: "var(--muted-foreground)" }} />
        ) : null}
        {series.map((s, index) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={seriesColor(index)}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 4 }}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
