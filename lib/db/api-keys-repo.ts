import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { type ApiKey } from "@/lib/api-keys/schemas";
import { getDb, tableName } from "@/lib/db/client";
import { API_KEYS_LIST_PK, apiKeyKey, apiKeyListKeys } from "@/lib/db/keys";
import { queryWholeList } from "@/lib/db/list-page";
import { isRetryable, withRetry } from "@/lib/db/retry";
import { isConditionFailure } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";

function toApiKey(item: Record<string, unknown>): ApiKey {
  return {
    id: item.id as string,
    name: item.name as string,
    prefix: item.prefix as string,
    scopes: (item.scopes as ApiKey["scopes"]) ?? [],
    createdAt: item.createdAt as string,
    lastUsedAt: typeof item.lastUsedAt === "string" ? item.lastUsedAt : null,
    revokedAt: typeof item.revokedAt === "string" ? item.revokedAt : null,
  };
}

/**
 * Stores a key under the hash of its secret.
 * @throws ConflictError when that hash is already stored.
 */
export async function insertApiKey(secretHash: string, key: ApiKey): Promise<void> {
  const item: Record<string, unknown> = {
    ...apiKeyKey(secretHash),
    ...apiKeyListKeys(key.createdAt, key.id),
    entity: "ApiKey",
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt,
  };
  try {
    await withRetry(() =>
      getDb().send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError("This API key already exists.");
    throw error;
  }
}

/** Looks a key up by the SHA-256 of its secret. */
export async function getApiKeyByHash(secretHash: string): Promise<ApiKey | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: apiKeyKey(secretHash) })),
  );
  return out.Item ? toApiKey(out.Item) : null;
}

/** All keys, oldest first (keys are few; paging is internal). */
export async function listApiKeys(): Promise<ApiKey[]> {
  return queryWholeList(API_KEYS_LIST_PK, toApiKey);
}

/**
 * Marks a key revoked; it stops authenticating at once.
 * @throws NotFoundError when no key has that id.
 */
export async function revokeApiKeyItem(keyId: string, now: string): Promise<void> {
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        FilterExpression: "id = :id",
        ExpressionAttributeValues: { ":pk": API_KEYS_LIST_PK, ":id": keyId },
      }),
    ),
  );
  const item = out.Items?.[0];
  if (!item) throw new NotFoundError("API key", keyId);
  await withRetry(() =>
    getDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { PK: item.PK as string, SK: item.SK as string },
        UpdateExpression: "SET revokedAt = if_not_exists(revokedAt, :now)",
        ExpressionAttributeValues: { ":now": now },
      }),
    ),
  );
}

/** Records use at most once a minute per key, so authentication is not a write per request. */
export async function touchApiKey(secretHash: string, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - 60_000).toISOString();
  try {
    await getDb().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: apiKeyKey(secretHash),
        UpdateExpression: "SET lastUsedAt = :now",
        ConditionExpression:
          "attribute_exists(PK) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :cutoff)",
        ExpressionAttributeValues: { ":now": now.toISOString(), ":cutoff": cutoff },
      }),
    );
  } catch (error) {
    // Losing the race or a throttle here only means a slightly stale lastUsedAt.
    if (!isConditionFailure(error) && !isRetryable(error))
      console.warn("api key lastUsedAt not updated", (error as Error).name);
  }
}
