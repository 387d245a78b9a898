"use server";

import { revalidatePath } from "next/cache";

import { runAction } from "@/lib/auth/action";
import { type ActionResult } from "@/lib/auth/action-result";
import { type Page } from "@/lib/db/cursor";
import { createEvent } from "@/lib/events/create-event";
import { deleteEvent } from "@/lib/events/delete-event";
import { listEvents } from "@/lib/events/get-event";
import { cancelRegistration, listEventRegistrations, registerForEvent } from "@/lib/events/register";
import { type CreateEventInput, type Event, type UpdateEventInput } from "@/lib/events/schemas";
import { updateEvent } from "@/lib/events/update-event";
import { getUserMatches, searchUsersByName, type UserMatch } from "@/lib/users/search-users";

// Each action: session Ctx → one lib verb (which checks the role) → problem-shaped result. No logic here.

const EVENTS_PAGE_SIZE = 25;
const REGISTRATIONS_PAGE_SIZE = 50;

export async function listEventsAction(cursor?: string): Promise<ActionResult<Page<Event>>> {
  return runAction((ctx) => listEvents({ ctx, input: { limit: EVENTS_PAGE_SIZE, cursor } }));
}

export async function searchUsersAction(prefix: string): Promise<ActionResult<UserMatch[]>> {
  return runAction((ctx) => searchUsersByName({ ctx, input: { prefix: String(prefix), limit: 8 } }));
}

export async function createEventAction(input: CreateEventInput): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (ctx) => ({ id: (await createEvent({ ctx, input })).id }));
  if (result.ok) revalidatePath("/events");
  return result;
}

export async function updateEventAction(
  id: string,
  changes: UpdateEventInput,
): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (ctx) => ({
    id: (await updateEvent({ ctx, input: { id: String(id), changes } })).id,
  }));
  if (result.ok) revalidatePath("/events", "layout");
  return result;
}

export async function deleteEventAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await deleteEvent({ ctx, input: { id: String(id) } });
    return null;
  });
  if (result.ok) revalidatePath("/events");
  return result;
}

export interface RegistrationRow {
  userId: string;
  name: string;
  email: string;
  registeredAt: string;
  source: string;
}

export async function listRegistrationsAction(
  eventId: string,
  cursor?: string,
): Promise<ActionResult<Page<RegistrationRow>>> {
  return runAction(async (ctx) => {
    const page = await listEventRegistrations({
      ctx,
      input: { eventId: String(eventId), page: { limit: REGISTRATIONS_PAGE_SIZE, cursor } },
    });
    const users = await getUserMatches({ ctx, input: { ids: page.items.map((r) => r.userId) } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        userId: r.userId,
        name: byId.get(r.userId)?.name ?? "(deleted user)",
        email: byId.get(r.userId)?.email ?? "",
        registeredAt: r.registeredAt,
        source: r.source,
      })),
    };
  });
}

export async function registerUserAction(eventId: string, userId: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await registerForEvent({ ctx, input: { eventId: String(eventId), userId, source: "dashboard" } });
    return null;
  });
  if (result.ok) revalidatePath(`/events/${eventId}`);
  return result;
}

export async function cancelRegistrationAction(eventId: string, userId: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await cancelRegistration({ ctx, input: { eventId: String(eventId), userId: String(userId) } });
    return null;
  });
  if (result.ok) revalidatePath(`/events/${eventId}`);
  return result;
}
