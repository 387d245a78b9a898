import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { type UserChanges, getUserOrThrow, updateUserItem } from "@/lib/db/users-repo";
import { UpdateUserInput, type User } from "@/lib/users/schemas";

/**
 * Changes a user's profile; an email change moves the uniqueness guard atomically.
 * @throws ZodError; NotFoundError; ConflictError (email taken or concurrent change); Unauthorized/ForbiddenError.
 */
export async function updateUser({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; changes: UpdateUserInput };
}): Promise<User> {
  requireScope(ctx, "write");
  const changes: UserChanges = UpdateUserInput.parse(input.changes);
  const current = await getUserOrThrow(input.id);
  return updateUserItem(current, changes, new Date().toISOString());
}
