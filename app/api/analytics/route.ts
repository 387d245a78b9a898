import { getAnalyticsSummary } from "@/lib/analytics/get-summary";
import { SummaryQuery } from "@/lib/analytics/schemas";
import { apiRoute, reply } from "@/lib/http/route";

export const GET = apiRoute({
  scope: "read",
  query: SummaryQuery,
  handler: async ({ ctx, query }) => reply(200, await getAnalyticsSummary({ ctx, input: query })),
});
