import { QueryCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { type Page, decodeCursor, encodeCursor } from "@/lib/db/cursor";
import { getEventItemRaw, userCounterUpdate } from "@/lib/db/events-repo";
import { REG_SK_PREFIX, eventKey, eventPk, registrationKey, registrationUserKeys } from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import { conditionFailed, transactWrite } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type Registration } from "@/lib/events/schemas";

export function registrationItem(reg: Registration): Record<string, unknown> {
  return {
    ...registrationKey(reg.eventId, reg.userId),
    ...registrationUserKeys(reg.userId, reg.registeredAt, reg.eventId),
    entity: "Registration",
    ...reg,
  };
}

export function toRegistration(item: Record<string, unknown>): Registration {
  const reg: Registration = {
    eventId: item.eventId as string,
    userId: item.userId as string,
    registeredAt: item.registeredAt as string,
    source: item.source as Registration["source"],
  };
  if (item.utm) reg.utm = item.utm as Registration["utm"];
  if (typeof item.campaignId === "string") reg.campaignId = item.campaignId;
  if (typeof item.messageId === "string") reg.messageId = item.messageId;
  if (typeof item.campaignToken === "string") reg.campaignToken = item.campaignToken;
  return reg;
}

/**
 * Registers a user: puts the registration and bumps the event's and the user's counters in one
 * transaction, guarded by capacity, existence and uniqueness conditions.
 * @throws NotFoundError (event or user, named); ConflictError "already_registered" or "event_full".
 */
export async function insertRegistration(reg: Registration): Promise<void> {
  const table = tableName();
  await transactWrite(
    [
      {
        Update: {
          TableName: table,
          Key: eventKey(reg.eventId),
          UpdateExpression: "ADD registeredCount :one",
          ConditionExpression:
            "attribute_exists(PK) AND attribute_not_exists(deletingAt) AND (attribute_not_exists(maxCapacity) OR registeredCount < maxCapacity)",
          ExpressionAttributeValues: { ":one": 1 },
        },
      },
      userCounterUpdate(reg.userId, "attendedEventCount", 1),
      {
        Put: {
          TableName: table,
          Item: registrationItem(reg),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
    ],
    async (reasons) => {
      if (conditionFailed(reasons, 2)) {
        return new ConflictError(
          `User ${reg.userId} is already registered for this event.`,
          [],
          "already_registered",
        );
      }
      if (conditionFailed(reasons, 0)) {
        // The event condition covers missing, being deleted and full; one read tells them apart.
        const event = await getEventItemRaw(reg.eventId);
        if (!event || event.deletingAt !== undefined) return new NotFoundError("Event", reg.eventId);
      }
      if (conditionFailed(reasons, 1)) return new NotFoundError("User", reg.userId);
      if (conditionFailed(reasons, 0)) return new ConflictError("This event is full.", [], "event_full");
      return new ConflictError("The registration could not be saved; retry.");
    },
  );
}

/**
 * Cancels a registration and reverses both counters in one transaction.
 * @throws NotFoundError when the user is not registered for the event.
 */
export async function removeRegistration(eventId: string, userId: string): Promise<void> {
  const table = tableName();
  await transactWrite(
    [
      {
        Delete: {
          TableName: table,
          Key: registrationKey(eventId, userId),
          ConditionExpression: "attribute_exists(PK)",
        },
      },
      {
        Update: {
          TableName: table,
          Key: eventKey(eventId),
          UpdateExpression: "ADD registeredCount :minus",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":minus": -1 },
        },
      },
      userCounterUpdate(userId, "attendedEventCount", -1),
    ],
    (reasons) =>
      conditionFailed(reasons, 0)
        ? new NotFoundError("Registration", `${eventId}/${userId}`)
        : new ConflictError("The registration changed concurrently; retry."),
  );
}

/**
 * Lists an event's registrations by user id.
 * @throws ValidationError on a foreign or malformed cursor.
 */
export async function listRegistrations(
  eventId: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<Registration>> {
  const start = decodeCursor(opts.cursor, {
    attributes: ["PK", "SK"],
    fixed: { PK: eventPk(eventId) },
    prefixes: { SK: REG_SK_PREFIX },
  });
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :reg)",
        ExpressionAttributeValues: { ":pk": eventPk(eventId), ":reg": REG_SK_PREFIX },
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    ),
  );
  return { items: (out.Items ?? []).map(toRegistration), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}
