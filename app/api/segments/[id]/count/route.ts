import { apiRoute, reply } from "@/lib/http/route";
import { IdParams } from "@/lib/schemas/common";
import { countSegment } from "@/lib/segments/segments";

export const GET = apiRoute({
  scope: "read",
  params: IdParams,
  handler: async ({ ctx, params }) =>
    reply(200, { id: params.id, count: await countSegment({ ctx, input: { id: params.id } }) }),
});
