import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { getEventItemRaw, markEventDeleting, userCounterUpdate } from "@/lib/db/events-repo";
import {
  HOST_SK_PREFIX,
  REG_SK_PREFIX,
  emailGuardKey,
  eventKey,
  eventPk,
  hostLinkKey,
  registrationKey,
  slugGuardKey,
  userActivityPk,
  userKey,
} from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import { type TxItem, transactWrite } from "@/lib/db/transact";
import { getUserItemRaw, markUserDeleting } from "@/lib/db/users-repo";
import { ConflictError, UnavailableError } from "@/lib/errors";

/**
 * Children removed per transaction. Each child costs two items (the child and the other side's counter)
 * plus one item for the parent's counter, so 49 children stay within DynamoDB's 100-item limit.
 */
export const CASCADE_BATCH = 49;

/** A cascade batch may lose a race with a concurrent writer; it is re-read and retried this many times. */
const MAX_CONTENDED_BATCHES = 20;

type Item = Record<string, unknown>;

async function queryChildren(opts: {
  index?: "GSI2";
  pk: string;
  prefix: string;
  limit: number;
}): Promise<Item[]> {
  const pkAttr = opts.index ? "GSI2PK" : "PK";
  const skAttr = opts.index ? "GSI2SK" : "SK";
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: opts.index,
        KeyConditionExpression: `${pkAttr} = :pk AND begins_with(${skAttr}, :prefix)`,
        ExpressionAttributeValues: { ":pk": opts.pk, ":prefix": opts.prefix },
        Limit: opts.limit,
        ConsistentRead: opts.index ? undefined : true,
      }),
    ),
  );
  return out.Items ?? [];
}

/**
 * Repeats `step` (one bounded transaction) until it reports nothing left. A cancelled batch (a concurrent
 * cancel/delete got there first) is simply re-read; progress already committed is kept, so a crashed
 * cascade resumes where it stopped when the delete is called again.
 */
async function drain(step: () => Promise<boolean>): Promise<void> {
  let contended = 0;
  for (;;) {
    try {
      if (!(await step())) return;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (++contended > MAX_CONTENDED_BATCHES)
        throw new UnavailableError("Deletion kept colliding with other writes; retry.");
    }
  }
}

const contended = () => new ConflictError("A concurrent write changed the items being deleted.");

/**
 * Deletes an event with its registrations and host links in bounded transactions, keeping every user's
 * counters exact after each batch.
 * @throws NotFoundError when the event does not exist.
 */
export async function deleteEventCascade(eventId: string, now: string): Promise<void> {
  await markEventDeleting(eventId, now);
  const table = tableName();
  const pk = eventPk(eventId);

  await drain(async () => {
    const regs = await queryChildren({ pk, prefix: REG_SK_PREFIX, limit: CASCADE_BATCH });
    if (regs.length === 0) return false;
    const items: TxItem[] = [
      {
        Update: {
          TableName: table,
          Key: eventKey(eventId),
          UpdateExpression: "ADD registeredCount :d",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":d": -regs.length },
        },
      },
    ];
    for (const reg of regs) {
      const userId = reg.userId as string;
      items.push(
        {
          Delete: {
            TableName: table,
            Key: registrationKey(eventId, userId),
            ConditionExpression: "attribute_exists(PK)",
          },
        },
        userCounterUpdate(userId, "attendedEventCount", -1),
      );
    }
    await transactWrite(items, contended);
    return true;
  });

  await drain(async () => {
    const links = await queryChildren({ pk, prefix: HOST_SK_PREFIX, limit: CASCADE_BATCH });
    if (links.length === 0) return false;
    const items: TxItem[] = [];
    for (const link of links) {
      const userId = link.userId as string;
      items.push(
        {
          Delete: {
            TableName: table,
            Key: hostLinkKey(eventId, userId),
            ConditionExpression: "attribute_exists(PK)",
          },
        },
        userCounterUpdate(userId, "hostedEventCount", -1),
      );
    }
    await transactWrite(items, contended);
    return true;
  });

  const slug = (await getEventItemRaw(eventId))?.slug;
  const finalItems: TxItem[] = [{ Delete: { TableName: table, Key: eventKey(eventId) } }];
  if (typeof slug === "string") {
    finalItems.push({
      Delete: {
        TableName: table,
        Key: slugGuardKey(slug),
        ConditionExpression: "attribute_not_exists(PK) OR eventId = :eid",
        ExpressionAttributeValues: { ":eid": eventId },
      },
    });
  }
  await transactWrite(finalItems, contended);
}

/**
 * Deletes a user with their registrations and co-host links in bounded transactions, keeping every
 * event's counters exact. Refused while the user owns events (transfer or delete those first).
 * @throws NotFoundError when the user does not exist; ConflictError while they own events.
 */
export async function deleteUserCascade(userId: string, now: string): Promise<void> {
  await markUserDeleting(userId, now);
  const table = tableName();
  const pk = userActivityPk(userId);

  const owned = (await queryChildren({ index: "GSI2", pk, prefix: HOST_SK_PREFIX, limit: 1000 })).filter(
    (l) => l.role === "owner",
  );
  if (owned.length > 0) {
    // Undo the mark so the user keeps working normally.
    await withRetry(() =>
      getDb().send(
        new UpdateCommand({ TableName: table, Key: userKey(userId), UpdateExpression: "REMOVE deletingAt" }),
      ),
    );
    throw new ConflictError(`The user owns ${owned.length} event(s); delete or hand them over first.`, [
      { field: "id", message: "User owns events." },
    ]);
  }

  await drain(async () => {
    const regs = await queryChildren({ index: "GSI2", pk, prefix: REG_SK_PREFIX, limit: CASCADE_BATCH });
    if (regs.length === 0) return false;
    const items: TxItem[] = [userCounterUpdate(userId, "attendedEventCount", -regs.length)];
    for (const reg of regs) {
      const eventId = reg.eventId as string;
      items.push(
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
      );
    }
    await transactWrite(items, contended);
    return true;
  });

  await drain(async () => {
    const links = await queryChildren({ index: "GSI2", pk, prefix: HOST_SK_PREFIX, limit: CASCADE_BATCH });
    if (links.length === 0) return false;
    const items: TxItem[] = [userCounterUpdate(userId, "hostedEventCount", -links.length)];
    for (const link of links) {
      const eventId = link.eventId as string;
      items.push(
        {
          Delete: {
            TableName: table,
            Key: hostLinkKey(eventId, userId),
            ConditionExpression: "attribute_exists(PK)",
          },
        },
        {
          Update: {
            TableName: table,
            Key: eventKey(eventId),
            UpdateExpression: "DELETE hostIds :me",
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeValues: { ":me": new Set([userId]) },
          },
        },
      );
    }
    await transactWrite(items, contended);
    return true;
  });

  const email = (await getUserItemRaw(userId))?.email;
  const finalItems: TxItem[] = [{ Delete: { TableName: table, Key: userKey(userId) } }];
  if (typeof email === "string") {
    finalItems.push({
      Delete: {
        TableName: table,
        Key: emailGuardKey(email),
        ConditionExpression: "attribute_not_exists(PK) OR userId = :uid",
        ExpressionAttributeValues: { ":uid": userId },
      },
    });
  }
  await transactWrite(finalItems, contended);
}
