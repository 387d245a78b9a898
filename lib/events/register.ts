import "server-only";

import { attribute, recordRegistration } from "@/lib/attribution/attribute";
import { type Ctx, requireScope } from "@/lib/context";
import { type Page } from "@/lib/db/cursor";
import { getEventOrThrow } from "@/lib/db/events-repo";
import { insertRegistration, listRegistrations, removeRegistration } from "@/lib/db/registrations-repo";
import { type Registration, RegisterInput, type RegistrationSource } from "@/lib/events/schemas";
import { type PageQuery } from "@/lib/schemas/common";

export interface RegisterForEventInput extends RegisterInput {
  eventId: string;
  /** Where the registration came from; the public API uses "api". */
  source?: RegistrationSource;
}

/**
 * Registers a user for an event, atomically with the event's and the user's counters.
 * @throws ZodError; NotFoundError (event or user); ConflictError "already_registered" / "event_full";
 *   UnavailableError when the database stays contended; Unauthorized/ForbiddenError.
 */
export async function registerForEvent({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RegisterForEventInput;
}): Promise<Registration> {
  requireScope(ctx, "write");
  const { eventId, source, ...rest } = input;
  const data = RegisterInput.parse(rest);
  const registration: Registration = {
    eventId,
    userId: data.userId,
    registeredAt: new Date().toISOString(),
    source: source ?? "api",
  };
  if (data.utm && Object.values(data.utm).some((v) => v !== undefined)) registration.utm = data.utm;
  if (data.campaignToken) registration.campaignToken = data.campaignToken;
  // Analytics: a verified click token links the registration to its campaign and message.
  const { campaignId, messageId } = attribute(data.utm, data.campaignToken);
  if (campaignId) Object.assign(registration, { campaignId, messageId });
  await insertRegistration(registration);
  await recordRegistration(registration);
  return registration;
}

/**
 * Cancels a registration and reverses both counters.
 * @throws NotFoundError when there is no such registration; Unauthorized/ForbiddenError.
 */
export async function cancelRegistration({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { eventId: string; userId: string };
}): Promise<void> {
  requireScope(ctx, "write");
  await removeRegistration(input.eventId, input.userId);
}

/**
 * An event's registrations, paged.
 * @throws NotFoundError for an unknown event; ValidationError on a bad cursor; Unauthorized/ForbiddenError.
 */
export async function listEventRegistrations({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { eventId: string; page: PageQuery };
}): Promise<Page<Registration>> {
  requireScope(ctx, "read");
  await getEventOrThrow(input.eventId);
  return listRegistrations(input.eventId, input.page);
}
