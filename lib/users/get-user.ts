import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { type Page } from "@/lib/db/cursor";
import { getUserOrThrow, listUsers as listUserItems } from "@/lib/db/users-repo";
import { type PageQuery } from "@/lib/schemas/common";
import { type User } from "@/lib/users/schemas";

/** @throws NotFoundError; Unauthorized/ForbiddenError. */
export async function getUser({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<User> {
  requireScope(ctx, "read");
  return getUserOrThrow(input.id);
}

/** Users oldest first, paged. @throws ValidationError on a bad cursor; Unauthorized/ForbiddenError. */
export async function listUsers({ ctx, input }: { ctx: Ctx; input: PageQuery }): Promise<Page<User>> {
  requireScope(ctx, "read");
  return listUserItems(input);
}
