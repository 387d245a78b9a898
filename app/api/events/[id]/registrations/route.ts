import { listEventRegistrations } from "@/lib/events/register";
import { apiRoute, reply } from "@/lib/http/route";
import { IdParams, PageQuery } from "@/lib/schemas/common";

export const GET = apiRoute({
  scope: "read",
  params: IdParams,
  query: PageQuery,
  handler: async ({ ctx, params, query }) =>
    reply(200, await listEventRegistrations({ ctx, input: { eventId: params.id, page: query } })),
});
