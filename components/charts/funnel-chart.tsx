"use client";

import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from "recharts";

import { ChartDataTable, ChartFrame, type ChartStateProps } from "@/components/charts/chart-frame";
import {
  formatCompact,
  formatCount,
  formatPercent,
  funnelSteps,
  isEmptySeries,
  seriesColor,
  type FunnelCounts,
} from "@/components/charts/chart-data";
import { axisTick, tooltipContentStyle, tooltipLabelStyle } from "@/components/charts/tooltip-style";

export interface FunnelChartProps extends ChartStateProps {
  /** Campaign totals; null while unknown. */
  counts: FunnelCounts | null;
}

/**
 * Campaign funnel sent → delivered → opened → clicked → registered as horizontal bars, each labelled
 * with its count and its conversion from the previous stage (bars read better than a trapezoid at 375 px).
 */
export function FunnelChart({ counts, height = 260, ...state }: FunnelChartProps) {
  const steps = counts ? funnelSteps(counts) : [];
  const data = steps.map((step) => ({
    ...step,
    display: `${formatCompact(step.value)}${step.ofPrevious === null ? "" : ` · ${formatPercent(step.ofPrevious)}`}`,
  }));
  return (
    <ChartFrame
      {...state}
      height={height}
      isEmpty={isEmptySeries(steps.map((s) => s.value))}
      srTable={
        <ChartDataTable
          caption={state.title}
          headers={["Stage", "Count", "Of previous stage", "Of sent"]}
          rows={steps.map((s) => [
            s.label,
            formatCount(s.value),
            formatPercent(s.ofPrevious),
            formatPercent(s.ofFirst),
          ])}
        />
      }
    >
      <BarChart
        responsive
        width="100%"
        height={height}
        data={data}
        layout="vertical"
        accessibilityLayer={false}
        margin={{ top: 4, right: 96, bottom: 4, left: 4 }}
      >
        <CartesianGrid horizontal={false} stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis type="number" hide domain={[0, "dataMax"]} />
        <YAxis type="category" dataKey="label" width={84} tickLine={false} axisLine={false} tick={axisTick} />
        <Tooltip
          cursor={{ fill: "var(--muted)" }}
          contentStyle={tooltipContentStyle}
          labelStyle={tooltipLabelStyle}
          formatter={(value) => [formatCount(Number(value)), "Count"]}
        />
        <Bar dataKey="value" radius={[0, 6, 6, 0]} maxBarSize={36} isAnimationActive={false}>
          {data.map((step, index) => (
            <Cell key={step.key} fill={seriesColor(0)} fillOpacity={1 - index * 0.1} />
          ))}
          <LabelList dataKey="display" position="right" fill="var(--foreground)" fontSize={12} />
        </Bar>
      </BarChart>
    </ChartFrame>
  );
}
