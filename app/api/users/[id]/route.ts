import { apiRoute, noContent, reply } from "@/lib/http/route";
import { IdParams } from "@/lib/schemas/common";
import { deleteUser } from "@/lib/users/delete-user";
import { getUser } from "@/lib/users/get-user";
import { UpdateUserInput } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

export const GET = apiRoute({
  scope: "read",
  params: IdParams,
  handler: async ({ ctx, params }) => reply(200, await getUser({ ctx, input: params })),
});

export const PATCH = apiRoute({
  scope: "write",
  params: IdParams,
  body: UpdateUserInput,
  handler: async ({ ctx, params, body }) =>
    reply(200, await updateUser({ ctx, input: { id: params.id, changes: body } })),
});

export const DELETE = apiRoute({
  scope: "write",
  params: IdParams,
  handler: async ({ ctx, params }) => {
    await deleteUser({ ctx, input: params });
    return noContent();
  },
});
