import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { idempotencyKey } from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import { isConditionFailure } from "@/lib/db/transact";

/** Stored responses are replayed for 24 hours (DynamoDB TTL removes them afterwards). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** An in-flight claim older than this is presumed abandoned (crashed request) and may be taken over. */
export const IDEMPOTENCY_LOCK_SECONDS = 60;

export type ClaimResult =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/**
 * Claims an Idempotency-Key for one request, or says what to do instead: replay the stored response,
 * refuse a different request reusing the key, or refuse while the first request still runs.
 */
export async function claimIdempotencyKey(
  apiKeyId: string,
  key: string,
  requestHash: string,
  nowSeconds: number,
): Promise<ClaimResult> {
  const Key = idempotencyKey(apiKeyId, key);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await withRetry(() =>
        getDb().send(
          new PutCommand({
            TableName: tableName(),
            Item: {
              ...Key,
              entity: "Idempotency",
              requestHash,
              state: "in_flight",
              lockedAt: nowSeconds,
              expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
            },
            ConditionExpression:
              "attribute_not_exists(PK) OR expiresAt < :now OR (#state = :inflight AND lockedAt < :stale AND requestHash = :hash)",
            ExpressionAttributeNames: { "#state": "state" },
            ExpressionAttributeValues: {
              ":now": nowSeconds,
              ":inflight": "in_flight",
              ":stale": nowSeconds - IDEMPOTENCY_LOCK_SECONDS,
              ":hash": requestHash,
            },
          }),
        ),
      );
      return { kind: "claimed" };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const out = await withRetry(() =>
      getDb().send(new GetCommand({ TableName: tableName(), Key, ConsistentRead: true })),
    );
    const item = out.Item;
    if (!item) continue; // released between our put and read: claim again
    if (item.requestHash !== requestHash) return { kind: "mismatch" };
    if (item.state === "completed") {
      return { kind: "replay", status: Number(item.responseStatus), body: String(item.responseBody ?? "") };
    }
    return { kind: "in_flight" };
  }
  return { kind: "in_flight" };
}

/** Stores the response of a claimed request for replay. */
export async function completeIdempotencyKey(
  apiKeyId: string,
  key: string,
  status: number,
  body: string,
): Promise<void> {
  await withRetry(() =>
    getDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: idempotencyKey(apiKeyId, key),
        UpdateExpression: "SET #state = :done, responseStatus = :status, responseBody = :body",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":done": "completed", ":status": status, ":body": body },
      }),
    ),
  );
}

/** Drops a claim whose request failed on our side (5xx) so the client can retry with the same key. */
export async function releaseIdempotencyKey(apiKeyId: string, key: string): Promise<void> {
  try {
    await getDb().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: idempotencyKey(apiKeyId, key),
        ConditionExpression: "#state = :inflight",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ":inflight": "in_flight" },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) console.warn("idempotency claim not released", (error as Error).name);
  }
}
