import "server-only";

import { randomUUID } from "node:crypto";

import { type Ctx, requireScope } from "@/lib/context";
import { insertEvent, slugExists } from "@/lib/db/events-repo";
import { ConflictError } from "@/lib/errors";
import { CreateEventInput, type Event } from "@/lib/events/schemas";
import { slugify, suffixedSlug } from "@/lib/events/slug";

const SLUG_ATTEMPTS = 4;

/**
 * Creates an event with its owner and co-hosts; each distinct host's hosted counter goes up by one.
 * Without a slug one is generated from the title and made unique.
 * @throws ZodError; ConflictError (slug taken); NotFoundError (owner or a co-host missing); Unauthorized/ForbiddenError.
 */
export async function createEvent({ ctx, input }: { ctx: Ctx; input: CreateEventInput }): Promise<Event> {
  requireScope(ctx, "write");
  const data = CreateEventInput.parse(input);
  const now = new Date().toISOString();
  const base: Omit<Event, "slug"> = {
    id: randomUUID(),
    title: data.title,
    description: data.description || null,
    startAt: new Date(data.startAt).toISOString(),
    endAt: new Date(data.endAt).toISOString(),
    timeZone: data.timeZone ?? "UTC",
    venue: data.venue ?? null,
    maxCapacity: data.maxCapacity ?? null,
    ownerId: data.ownerId,
    hostIds: [...new Set(data.hostIds ?? [])].filter((id) => id !== data.ownerId).sort(),
    registeredCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  if (data.slug) {
    const event = { ...base, slug: data.slug };
    await insertEvent(event);
    return event;
  }
  const generated = slugify(data.title);
  let slug = (await slugExists(generated)) ? suffixedSlug(generated) : generated;
  for (let attempt = 1; ; attempt++) {
    const event = { ...base, slug };
    try {
      await insertEvent(event);
      return event;
    } catch (error) {
      const slugRace = error instanceof ConflictError && error.errors[0]?.field === "slug";
      if (!slugRace || attempt >= SLUG_ATTEMPTS) throw error;
      slug = suffixedSlug(generated);
    }
  }
}
