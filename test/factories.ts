import { randomUUID } from "node:crypto";

import { type Ctx } from "@/lib/context";
import { createEvent } from "@/lib/events/create-event";
import { type CreateEventInput, type Event } from "@/lib/events/schemas";
import { createUser } from "@/lib/users/create-user";
import { type CreateUserInput, type User } from "@/lib/users/schemas";

/** A valid user through the real verb; unique email per call. */
export function makeUser(ctx: Ctx, overrides: Partial<CreateUserInput> = {}): Promise<User> {
  const tag = randomUUID().slice(0, 8);
  return createUser({
    ctx,
    input: { firstName: "Ada", lastName: `Test-${tag}`, email: `ada.${tag}@example.com`, ...overrides },
  });
}

/** A valid event through the real verb. */
export function makeEvent(
  ctx: Ctx,
  ownerId: string,
  overrides: Partial<CreateEventInput> = {},
): Promise<Event> {
  return createEvent({
    ctx,
    input: {
      title: `Meetup ${randomUUID().slice(0, 6)}`,
      startAt: "2027-03-01T18:00:00Z",
      endAt: "2027-03-01T21:00:00Z",
      ownerId,
      ...overrides,
    },
  });
}
