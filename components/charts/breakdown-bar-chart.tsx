"use client";

import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from "recharts";

import { ChartDataTable, ChartFrame, type ChartStateProps } from "@/components/charts/chart-frame";
import {
  formatCompact,
  formatCount,
  isEmptySeries,
  seriesColor,
  topWithOther,
  type BreakdownItem,
} from "@/components/charts/chart-data";
import { axisTick, tooltipContentStyle, tooltipLabelStyle } from "@/components/charts/tooltip-style";

export interface BreakdownBarChartProps extends ChartStateProps {
  /** One bar per category (city, UTM source, ticket type...); order does not matter. */
  data: readonly BreakdownItem[];
  /** What the numbers count, for the tooltip and the hidden table ("Registrations"). */
  valueLabel: string;
  /** Bars to show before folding the rest into "Other". */
  limit?: number;
  /** Index into the chart palette. */
  colorIndex?: number;
}

/** Largest categories first, as horizontal bars with their values printed at the end. */
export function BreakdownBarChart({
  data,
  valueLabel,
  limit = 8,
  colorIndex = 1,
  height,
  ...state
}: BreakdownBarChartProps) {
  const items = topWithOther(data, limit);
  // Grow with the number of bars so labels never overlap.
  const chartHeight = height ?? Math.max(160, items.length * 36 + 16);
  return (
    <ChartFrame
      {...state}
      height={chartHeight}
      isEmpty={isEmptySeries(items.map((i) => i.value))}
      srTable={
        <ChartDataTable
          caption={state.title}
          headers={["Category", valueLabel]}
          rows={items.map((i) => [i.label, formatCount(i.value)])}
        />
      }
    >
      <BarChart
        responsive
        width="100%"
        height={chartHeight}
        data={items}
        layout="vertical"
        accessibilityLayer={false}
        margin={{ top: 4, right: 48, bottom: 4, left: 4 }}
      >
        <CartesianGrid horizontal={false} stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis type="number" hide domain={[0, "dataMax"]} />
        <YAxis
          type="category"
          dataKey="label"
          width={104}
          tickLine={false}
          axisLine={false}
          tick={axisTick}
          tickFormatter={(value: string) => (value.length > 14 ? `${value.slice(0, 13)}…` : value)}
        />
        <Tooltip
          cursor={{ fill: "var(--muted)" }}
          contentStyle={tooltipContentStyle}
          labelStyle={tooltipLabelStyle}
          formatter={(value) => [formatCount(Number(value)), valueLabel]}
        />
        <Bar
          dataKey="value"
          fill={seriesColor(colorIndex)}
          radius={[0, 6, 6, 0]}
          maxBarSize={28}
          isAnimationActive={false}
        >
          <LabelList
            dataKey="value"
            position="right"
            fill="var(--foreground)"
            fontSize={12}
            formatter={(value) => formatCompact(Number(value))}
          />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
