import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { deleteUserCascade } from "@/lib/db/cascade";

/**
 * Deletes a user with their registrations and co-host links (see docs/adr/0001-deletion-cascades.md).
 * @throws NotFoundError; ConflictError while the user owns events; Unauthorized/ForbiddenError.
 */
export async function deleteUser({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireScope(ctx, "write");
  await deleteUserCascade(input.id, new Date().toISOString());
}
