"use client";

import { TimeSeriesChart } from "@/components/charts/time-series-chart";

const SERIES = [
  { key: "total", label: "Registered (total)" },
  { key: "registrations", label: "New per day" },
];

export function AttendanceChart({
  data,
  partial,
}: {
  data: { date: string; registrations: number; total: number }[];
  partial: boolean;
}) {
  return (
    <TimeSeriesChart
      title="Registrations over time"
      description={
        partial ? "Based on the first 5,000 registrations." : "Per UTC day, with the running total."
      }
      emptyMessage="No registrations yet."
      data={data}
      series={SERIES}
      headingLevel="h2"
    />
  );
}
