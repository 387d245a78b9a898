import { apiRoute, reply } from "@/lib/http/route";
import { PageQuery } from "@/lib/schemas/common";
import { createUser } from "@/lib/users/create-user";
import { listUsers } from "@/lib/users/get-user";
import { CreateUserInput } from "@/lib/users/schemas";

export const POST = apiRoute({
  scope: "write",
  body: CreateUserInput,
  handler: async ({ ctx, body }) => reply(201, await createUser({ ctx, input: body })),
});

export const GET = apiRoute({
  scope: "read",
  query: PageQuery,
  handler: async ({ ctx, query }) => reply(200, await listUsers({ ctx, input: query })),
});
