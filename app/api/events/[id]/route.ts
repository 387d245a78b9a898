import { deleteEvent } from "@/lib/events/delete-event";
import { getEvent } from "@/lib/events/get-event";
import { UpdateEventInput } from "@/lib/events/schemas";
import { updateEvent } from "@/lib/events/update-event";
import { apiRoute, noContent, reply } from "@/lib/http/route";
import { IdParams } from "@/lib/schemas/common";

export const GET = apiRoute({
  scope: "read",
  params: IdParams,
  handler: async ({ ctx, params }) => reply(200, await getEvent({ ctx, input: params })),
});

export const PATCH = apiRoute({
  scope: "write",
  params: IdParams,
  body: UpdateEventInput,
  handler: async ({ ctx, params, body }) =>
    reply(200, await updateEvent({ ctx, input: { id: params.id, changes: body } })),
});

export const DELETE = apiRoute({
  scope: "write",
  params: IdParams,
  handler: async ({ ctx, params }) => {
    await deleteEvent({ ctx, input: params });
    return noContent();
  },
});
