import { getEngagement } from "@/lib/analytics/get-engagement";
import { EngagementQuery } from "@/lib/analytics/schemas";
import { apiRoute, reply } from "@/lib/http/route";

export const GET = apiRoute({
  scope: "read",
  query: EngagementQuery,
  handler: async ({ ctx, query }) => reply(200, await getEngagement({ ctx, input: query })),
});
