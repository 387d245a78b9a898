import { apiRoute, noContent, reply } from "@/lib/http/route";
import { IdParams } from "@/lib/schemas/common";
import { deleteSegment, getSegment, updateSegment } from "@/lib/segments/segments";
import { SegmentReadQuery, UpdateSegmentInput } from "@/lib/segments/schemas";

export const GET = apiRoute({
  scope: "read",
  params: IdParams,
  query: SegmentReadQuery,
  handler: async ({ ctx, params, query }) =>
    reply(200, await getSegment({ ctx, input: { id: params.id, withCount: query.count === "true" } })),
});

export const PATCH = apiRoute({
  scope: "write",
  params: IdParams,
  body: UpdateSegmentInput,
  handler: async ({ ctx, params, body }) =>
    reply(200, await updateSegment({ ctx, input: { id: params.id, changes: body } })),
});

export const DELETE = apiRoute({
  scope: "write",
  params: IdParams,
  handler: async ({ ctx, params }) => {
    await deleteSegment({ ctx, input: { id: params.id } });
    return noContent();
  },
});
