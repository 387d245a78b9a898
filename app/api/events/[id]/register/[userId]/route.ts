import { z } from "zod";

import { cancelRegistration } from "@/lib/events/register";
import { apiRoute, noContent } from "@/lib/http/route";
import { Id } from "@/lib/schemas/common";

const Params = z.object({ id: Id, userId: Id }).strict();

export const DELETE = apiRoute({
  scope: "write",
  params: Params,
  handler: async ({ ctx, params }) => {
    await cancelRegistration({ ctx, input: { eventId: params.id, userId: params.userId } });
    return noContent();
  },
});
