import { createEvent } from "@/lib/events/create-event";
import { listEvents } from "@/lib/events/get-event";
import { CreateEventInput } from "@/lib/events/schemas";
import { apiRoute, reply } from "@/lib/http/route";
import { PageQuery } from "@/lib/schemas/common";

export const POST = apiRoute({
  scope: "write",
  body: CreateEventInput,
  handler: async ({ ctx, body }) => reply(201, await createEvent({ ctx, input: body })),
});

export const GET = apiRoute({
  scope: "read",
  query: PageQuery,
  handler: async ({ ctx, query }) => reply(200, await listEvents({ ctx, input: query })),
});
