import { QueryCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { type Page, decodeCursor, encodeCursor } from "@/lib/db/cursor";
import { withRetry } from "@/lib/db/retry";

export interface ListPageOptions<T> {
  /** The GSI1 partition that lists one entity type, e.g. USERS_LIST_PK. */
  listPk: string;
  /** The entity item's sort key; a cursor from another list fails on it. */
  itemSk: string;
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
  /** Maps an item to the domain type; null drops it (e.g. an item mid-deletion). */
  toItem: (item: Record<string, unknown>) => T | null;
}

/**
 * One page of an entity list kept on GSI1 (ordered by GSI1SK).
 * @throws ValidationError on a foreign or malformed cursor.
 */
export async function queryListPage<T>(opts: ListPageOptions<T>): Promise<Page<T>> {
  const start = decodeCursor(opts.cursor, {
    attributes: ["PK", "SK", "GSI1PK", "GSI1SK"],
    fixed: { GSI1PK: opts.listPk, SK: opts.itemSk },
  });
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": opts.listPk },
        ScanIndexForward: !opts.newestFirst,
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    ),
  );
  const items: T[] = [];
  for (const raw of out.Items ?? []) {
    const item = opts.toItem(raw);
    if (item !== null) items.push(item);
  }
  return { items, nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every item of a small GSI1 list (API keys, members), in GSI1SK order; pages internally. */
export async function queryWholeList<T>(
  listPk: string,
  toItem: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await withRetry(() =>
      getDb().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "GSI1",
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": listPk },
          ExclusiveStartKey: start,
        }),
      ),
    );
    items.push(...(out.Items ?? []).map(toItem));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
