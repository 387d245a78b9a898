import "server-only";

import { findEventIdBySlug } from "@/lib/db/analytics-repo";
import { distinctHosts, getEvent } from "@/lib/db/events-repo";
import { getUser } from "@/lib/db/users-repo";

/** What the public page may show: no emails, no ids of people. */
export interface PublicEvent {
  slug: string;
  title: string;
  description: string | null;
  startAt: string;
  endAt: string;
  timeZone: string;
  venue: string | null;
  hosts: string[];
  capacity: number | null;
  /** null when the event has no capacity limit. */
  spotsLeft: number | null;
}

/** The public view of an event by slug, or null when there is none (or it is being deleted). */
export async function getPublicEvent(slug: string): Promise<PublicEvent | null> {
  const eventId = await findEventIdBySlug(slug);
  const event = eventId ? await getEvent(eventId) : null;
  if (!event) return null;
  const hosts = await Promise.all(distinctHosts(event.ownerId, event.hostIds).map((id) => getUser(id)));
  return {
    slug: event.slug,
    title: event.title,
    description: event.description,
    startAt: event.startAt,
    endAt: event.endAt,
    timeZone: event.timeZone,
    venue: event.venue,
    hosts: hosts.flatMap((u) => (u ? [`${u.firstName} ${u.lastName}`.trim()] : [])),
    capacity: event.maxCapacity,
    spotsLeft: event.maxCapacity === null ? null : Math.max(0, event.maxCapacity - event.registeredCount),
  };
}

/** "Mon, 1 Mar 2027, 18:00 – 21:00 CET" in the event's own time zone. */
export function formatEventTime(startAt: string, endAt: string, timeZone: string, locale = "en-GB"): string {
  const day = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  });
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" });
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
    .formatToParts(new Date(startAt))
    .find((p) => p.type === "timeZoneName")?.value;
  const start = new Date(startAt);
  const end = new Date(endAt);
  const sameDay = day.format(start) === day.format(end);
  const endText = sameDay ? time.format(end) : `${day.format(end)}, ${time.format(end)}`;
  return `${day.format(start)}, ${time.format(start)} – ${endText}${zone ? ` ${zone}` : ""}`;
}
