import { GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { type Page } from "@/lib/db/cursor";
import {
  EVENTS_LIST_PK,
  EVENT_SK,
  HOST_SK_PREFIX,
  eventKey,
  eventListKeys,
  eventPk,
  hostLinkKey,
  hostLinkUserKeys,
  slugGuardKey,
  userKey,
} from "@/lib/db/keys";
import { queryListPage } from "@/lib/db/list-page";
import { withRetry } from "@/lib/db/retry";
import { type TxItem, conditionFailed, isConditionFailure, transactWrite } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type Event } from "@/lib/events/schemas";

export type HostRole = "owner" | "cohost";

export interface HostLink {
  eventId: string;
  userId: string;
  role: HostRole;
}

export const slugTaken = () =>
  new ConflictError("An event with this slug already exists.", [
    { field: "slug", message: "Slug is already in use." },
  ]);

/** Every distinct host of an event: the owner plus co-hosts, owner first and never twice. */
export function distinctHosts(ownerId: string, hostIds: readonly string[]): string[] {
  return [ownerId, ...hostIds.filter((id) => id !== ownerId)].filter((id, i, all) => all.indexOf(id) === i);
}

/** The stored item for an event. Co-hosts are a string set (absent when empty) so one can be removed in place. */
export function eventItem(event: Event): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...eventKey(event.id),
    ...eventListKeys(event.startAt, event.id),
    entity: "Event",
    id: event.id,
    slug: event.slug,
    title: event.title,
    startAt: event.startAt,
    endAt: event.endAt,
    timeZone: event.timeZone,
    ownerId: event.ownerId,
    registeredCount: event.registeredCount,
    createdAt: event.createdAt,
    updatedAt: event.updatedAt,
    version: event.version,
  };
  if (event.description !== null) item.description = event.description;
  if (event.venue !== null) item.venue = event.venue;
  if (event.maxCapacity !== null) item.maxCapacity = event.maxCapacity;
  if (event.hostIds.length > 0) item.hostIds = new Set(event.hostIds);
  return item;
}

export function slugGuardItem(slug: string, eventId: string): Record<string, unknown> {
  return { ...slugGuardKey(slug), entity: "SlugGuard", eventId };
}

export function hostLinkItem(link: HostLink, startAt: string): Record<string, unknown> {
  return {
    ...hostLinkKey(link.eventId, link.userId),
    ...hostLinkUserKeys(link.userId, startAt, link.eventId),
    entity: "HostLink",
    eventId: link.eventId,
    userId: link.userId,
    role: link.role,
  };
}

export function toEvent(item: Record<string, unknown>): Event {
  const hostIds = item.hostIds instanceof Set ? [...(item.hostIds as Set<string>)] : [];
  return {
    id: item.id as string,
    slug: item.slug as string,
    title: item.title as string,
    description: typeof item.description === "string" ? item.description : null,
    startAt: item.startAt as string,
    endAt: item.endAt as string,
    timeZone: (item.timeZone as string | undefined) ?? "UTC",
    venue: typeof item.venue === "string" ? item.venue : null,
    maxCapacity: typeof item.maxCapacity === "number" ? item.maxCapacity : null,
    ownerId: item.ownerId as string,
    hostIds: hostIds.sort(),
    registeredCount: Number(item.registeredCount ?? 0),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: Number(item.version ?? 1),
  };
}

/** Adds `delta` to a host/attendee counter of an existing user that is not being deleted (when adding). */
export function userCounterUpdate(
  userId: string,
  counter: "hostedEventCount" | "attendedEventCount",
  delta: number,
): TxItem {
  return {
    Update: {
      TableName: tableName(),
      Key: userKey(userId),
      UpdateExpression: "ADD #c :d",
      ConditionExpression:
        delta > 0 ? "attribute_exists(PK) AND attribute_not_exists(deletingAt)" : "attribute_exists(PK)",
      ExpressionAttributeNames: { "#c": counter },
      ExpressionAttributeValues: { ":d": delta },
    },
  };
}

/**
 * Stores an event, its slug guard, one host link per distinct host and +1 on each host's hosted counter,
 * all in one transaction.
 * @throws ConflictError (field "slug") for a taken slug; NotFoundError naming a missing host user.
 */
export async function insertEvent(event: Event): Promise<void> {
  const table = tableName();
  const hosts = distinctHosts(event.ownerId, event.hostIds);
  const items: TxItem[] = [
    { Put: { TableName: table, Item: eventItem(event), ConditionExpression: "attribute_not_exists(PK)" } },
    {
      Put: {
        TableName: table,
        Item: slugGuardItem(event.slug, event.id),
        ConditionExpression: "attribute_not_exists(PK)",
      },
    },
  ];
  for (const userId of hosts) {
    const role: HostRole = userId === event.ownerId ? "owner" : "cohost";
    items.push(
      { Put: { TableName: table, Item: hostLinkItem({ eventId: event.id, userId, role }, event.startAt) } },
      userCounterUpdate(userId, "hostedEventCount", 1),
    );
  }
  await transactWrite(items, (reasons) => {
    if (conditionFailed(reasons, 1)) return slugTaken();
    for (let i = 0; i < hosts.length; i++) {
      const userId = hosts[i] as string;
      if (conditionFailed(reasons, 3 + i * 2))
        return new NotFoundError(userId === event.ownerId ? "Owner user" : "Host user", userId);
    }
    return new ConflictError(`Event ${event.id} already exists.`);
  });
}

/** Reads the raw event item, including one being deleted. */
export async function getEventItemRaw(eventId: string): Promise<Record<string, unknown> | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: eventKey(eventId), ConsistentRead: true })),
  );
  return out.Item ?? null;
}

/** Reads an event, or null (also while it is being deleted). */
export async function getEvent(eventId: string): Promise<Event | null> {
  const item = await getEventItemRaw(eventId);
  if (!item || item.deletingAt !== undefined) return null;
  return toEvent(item);
}

/** @throws NotFoundError when the event does not exist. */
export async function getEventOrThrow(eventId: string): Promise<Event> {
  const event = await getEvent(eventId);
  if (!event) throw new NotFoundError("Event", eventId);
  return event;
}

/**
 * Lists events by start time, earliest first.
 * @throws ValidationError on a foreign or malformed cursor.
 */
export async function listEvents(opts: { limit: number; cursor?: string }): Promise<Page<Event>> {
  return queryListPage({
    ...opts,
    listPk: EVENTS_LIST_PK,
    itemSk: EVENT_SK,
    toItem: (item) => (item.deletingAt === undefined ? toEvent(item) : null),
  });
}

/** Host links of one event (at most 21, one page). */
export async function listHostLinks(eventId: string): Promise<HostLink[]> {
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :host)",
        ExpressionAttributeValues: { ":pk": eventPk(eventId), ":host": HOST_SK_PREFIX },
        ConsistentRead: true,
      }),
    ),
  );
  return (out.Items ?? []).map((i) => ({ eventId, userId: i.userId as string, role: i.role as HostRole }));
}

export type EventChanges = Partial<
  Pick<
    Event,
    "title" | "slug" | "description" | "startAt" | "endAt" | "timeZone" | "venue" | "maxCapacity" | "hostIds"
  >
>;

/**
 * Applies changes if the event is still at `expected.version`. Host changes add/remove links and adjust
 * each affected user's hosted counter; a new startAt re-keys the host links; a new slug swaps guards.
 * @throws ConflictError (slug taken, capacity below registrations, concurrent change); NotFoundError for a new host.
 */
export async function updateEventItem(expected: Event, changes: EventChanges, now: string): Promise<Event> {
  const table = tableName();
  const next: Event = { ...expected, ...changes, updatedAt: now, version: expected.version + 1 };
  next.hostIds = distinctHosts(next.ownerId, next.hostIds).slice(1).sort();

  const names: Record<string, string> = { "#version": "version", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":expected": expected.version, ":one": 1, ":now": now };
  const sets = ["#updatedAt = :now"];
  const removes: string[] = [];
  const conditions = ["attribute_exists(PK)", "#version = :expected", "attribute_not_exists(deletingAt)"];
  for (const [field, value] of Object.entries(changes)) {
    if (field === "hostIds") continue;
    names[`#${field}`] = field;
    if (value === null) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  if (typeof changes.maxCapacity === "number") {
    names["#registeredCount"] = "registeredCount";
    conditions.push("#registeredCount <= :maxCapacity");
  }
  if (changes.startAt !== undefined) {
    names["#GSI1SK"] = "GSI1SK";
    sets.push("#GSI1SK = :gsi1sk");
    values[":gsi1sk"] = eventListKeys(next.startAt, expected.id).GSI1SK;
  }
  if (changes.hostIds !== undefined) {
    names["#hostIds"] = "hostIds";
    if (next.hostIds.length > 0) {
      sets.push("#hostIds = :hostIds");
      values[":hostIds"] = new Set(next.hostIds);
    } else removes.push("#hostIds");
  }
  const items: TxItem[] = [
    {
      Update: {
        TableName: table,
        Key: eventKey(expected.id),
        UpdateExpression: `SET ${sets.join(", ")} ADD #version :one${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
        ConditionExpression: conditions.join(" AND "),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  ];
  let slugIndex = -1;
  if (changes.slug !== undefined && changes.slug !== expected.slug) {
    items.push({
      Delete: {
        TableName: table,
        Key: slugGuardKey(expected.slug),
        ConditionExpression: "eventId = :eid",
        ExpressionAttributeValues: { ":eid": expected.id },
      },
    });
    slugIndex = items.length;
    items.push({
      Put: {
        TableName: table,
        Item: slugGuardItem(changes.slug, expected.id),
        ConditionExpression: "attribute_not_exists(PK)",
      },
    });
  }
  const before = distinctHosts(expected.ownerId, expected.hostIds);
  const after = distinctHosts(next.ownerId, next.hostIds);
  const removed = before.filter((id) => !after.includes(id));
  const added = after.filter((id) => !before.includes(id));
  const kept = after.filter((id) => before.includes(id));
  for (const userId of removed) {
    items.push(
      { Delete: { TableName: table, Key: hostLinkKey(expected.id, userId) } },
      userCounterUpdate(userId, "hostedEventCount", -1),
    );
  }
  const addedIndex = new Map<number, string>();
  for (const userId of added) {
    items.push({
      Put: {
        TableName: table,
        Item: hostLinkItem({ eventId: expected.id, userId, role: "cohost" }, next.startAt),
      },
    });
    addedIndex.set(items.length, userId);
    items.push(userCounterUpdate(userId, "hostedEventCount", 1));
  }
  if (changes.startAt !== undefined && changes.startAt !== expected.startAt) {
    for (const userId of kept) {
      items.push({
        Update: {
          TableName: table,
          Key: hostLinkKey(expected.id, userId),
          UpdateExpression: "SET GSI2SK = :sk",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":sk": hostLinkUserKeys(userId, next.startAt, expected.id).GSI2SK },
        },
      });
    }
  }
  await transactWrite(items, async (reasons) => {
    if (slugIndex >= 0 && conditionFailed(reasons, slugIndex)) return slugTaken();
    for (const [index, userId] of addedIndex)
      if (conditionFailed(reasons, index)) return new NotFoundError("Host user", userId);
    if (conditionFailed(reasons, 0) && typeof changes.maxCapacity === "number") {
      const current = await getEvent(expected.id);
      if (current && current.version === expected.version && current.registeredCount > changes.maxCapacity) {
        return new ConflictError(
          `maxCapacity cannot be below the ${current.registeredCount} existing registrations.`,
          [{ field: "maxCapacity", message: "Below the number of registrations." }],
        );
      }
    }
    return new ConflictError("The event was changed or deleted concurrently; reload and retry.");
  });
  return next;
}

/**
 * Marks an event as being deleted so registrations stop while the cascade runs.
 * @throws NotFoundError when the event does not exist.
 */
export async function markEventDeleting(eventId: string, now: string): Promise<void> {
  try {
    await withRetry(() =>
      getDb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: eventKey(eventId),
          UpdateExpression: "SET deletingAt = if_not_exists(deletingAt, :now)",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":now": now },
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError("Event", eventId);
    throw error;
  }
}

/** True when a slug guard exists (used to pick a free generated slug). */
export async function slugExists(slug: string): Promise<boolean> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: slugGuardKey(slug), ConsistentRead: true })),
  );
  return out.Item !== undefined;
}
