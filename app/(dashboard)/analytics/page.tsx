import type { Metadata } from "next";

import { BreakdownBarChart } from "@/components/charts/breakdown-bar-chart";
import { FunnelChart } from "@/components/charts/funnel-chart";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { PageHeader } from "@/components/layout/page-header";

export const metadata: Metadata = { title: "Analytics" };

const registrationSeries = [{ key: "registrations", label: "Registrations" }];

/** Chart slots with their empty states; the lead feeds them analytics data. */
export default function AnalyticsPage() {
  return (
    <>
      <PageHeader title="Analytics" description="How campaigns turn into registrations." />
      <FunnelChart
        title="Campaign funnel"
        description="Sent → delivered → opened → clicked → registered"
        counts={null}
        emptyMessage="Send a campaign to see its funnel."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <TimeSeriesChart
          title="Registrations over time"
          description="Per day, last 30 days"
          data={[]}
          series={registrationSeries}
        />
        <BreakdownBarChart
          title="Registrations by source"
          description="utm_source of the link people registered from"
          data={[]}
          valueLabel="Registrations"
        />
      </div>
    </>
  );
}
