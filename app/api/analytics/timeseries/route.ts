import { getAnalyticsTimeseries } from "@/lib/analytics/get-timeseries";
import { TimeseriesQuery } from "@/lib/analytics/schemas";
import { apiRoute, reply } from "@/lib/http/route";

export const GET = apiRoute({
  scope: "read",
  query: TimeseriesQuery,
  handler: async ({ ctx, query }) => reply(200, await getAnalyticsTimeseries({ ctx, input: query })),
});
