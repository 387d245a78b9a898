import { registerForEvent } from "@/lib/events/register";
import { RegisterInput } from "@/lib/events/schemas";
import { apiRoute, reply } from "@/lib/http/route";
import { IdParams } from "@/lib/schemas/common";

export const POST = apiRoute({
  scope: "write",
  params: IdParams,
  body: RegisterInput,
  handler: async ({ ctx, params, body }) =>
    reply(201, await registerForEvent({ ctx, input: { ...body, eventId: params.id, source: "api" } })),
});
