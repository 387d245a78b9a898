import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { deleteEventCascade } from "@/lib/db/cascade";

/**
 * Deletes an event with its registrations and host links in bounded transactions, keeping counters exact
 * (docs/adr/0001-deletion-cascades.md).
 * @throws NotFoundError; UnavailableError when the cascade keeps colliding; Unauthorized/ForbiddenError.
 */
export async function deleteEvent({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireScope(ctx, "write");
  await deleteEventCascade(input.id, new Date().toISOString());
}
