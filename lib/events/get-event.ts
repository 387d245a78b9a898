import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { type Page } from "@/lib/db/cursor";
import { getEventOrThrow, listEvents as listEventItems } from "@/lib/db/events-repo";
import { type Event } from "@/lib/events/schemas";
import { type PageQuery } from "@/lib/schemas/common";

/** @throws NotFoundError; Unauthorized/ForbiddenError. */
export async function getEvent({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<Event> {
  requireScope(ctx, "read");
  return getEventOrThrow(input.id);
}

/** Events by start time, paged. @throws ValidationError on a bad cursor; Unauthorized/ForbiddenError. */
export async function listEvents({ ctx, input }: { ctx: Ctx; input: PageQuery }): Promise<Page<Event>> {
  requireScope(ctx, "read");
  return listEventItems(input);
}
