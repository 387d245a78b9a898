import "server-only";

import { notFound } from "next/navigation";

import { getSessionCtx } from "@/lib/auth/session";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { getEvent } from "@/lib/events/get-event";
import { type Event } from "@/lib/events/schemas";

/** The event of a detail page through the verb; unknown ids render the 404 page. */
export async function loadEvent(id: string): Promise<Event> {
  try {
    return await getEvent({ ctx: await getSessionCtx(), input: { id } });
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ValidationError) notFound();
    throw error;
  }
}
