import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { type EventChanges, getEventOrThrow, updateEventItem } from "@/lib/db/events-repo";
import { ValidationError } from "@/lib/errors";
import { type Event, UpdateEventInput } from "@/lib/events/schemas";

/**
 * Changes an event. `hostIds` replaces the co-host list; added and removed hosts' counters follow.
 * @throws ZodError/ValidationError (e.g. endAt not after startAt); NotFoundError; ConflictError; Unauthorized/ForbiddenError.
 */
export async function updateEvent({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; changes: UpdateEventInput };
}): Promise<Event> {
  requireScope(ctx, "write");
  const parsed = UpdateEventInput.parse(input.changes);
  const current = await getEventOrThrow(input.id);
  const changes: EventChanges = { ...parsed };
  if (parsed.startAt !== undefined) changes.startAt = new Date(parsed.startAt).toISOString();
  if (parsed.endAt !== undefined) changes.endAt = new Date(parsed.endAt).toISOString();
  const startAt = changes.startAt ?? current.startAt;
  const endAt = changes.endAt ?? current.endAt;
  if (Date.parse(endAt) <= Date.parse(startAt)) {
    throw new ValidationError("endAt must be after startAt.", [
      { field: "endAt", message: "Must be after startAt." },
    ]);
  }
  if (changes.hostIds) changes.hostIds = changes.hostIds.filter((id) => id !== current.ownerId);
  return updateEventItem(current, changes, new Date().toISOString());
}
