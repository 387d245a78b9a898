import { apiRoute, reply } from "@/lib/http/route";
import { PageQuery } from "@/lib/schemas/common";
import { createSegment, listSegments } from "@/lib/segments/segments";
import { CreateSegmentInput } from "@/lib/segments/schemas";

export const POST = apiRoute({
  scope: "write",
  body: CreateSegmentInput,
  handler: async ({ ctx, body }) => reply(201, await createSegment({ ctx, input: body })),
});

export const GET = apiRoute({
  scope: "read",
  query: PageQuery,
  handler: async ({ ctx, query }) => reply(200, await listSegments({ ctx, input: query })),
});
