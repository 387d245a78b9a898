import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

import { FilterTree } from "@/lib/audience/schemas";
import { getDb, tableName } from "@/lib/db/client";
import { type Page } from "@/lib/db/cursor";
import { SEGMENTS_LIST_PK, SEGMENT_SK, segmentKey, segmentListKeys } from "@/lib/db/keys";
import { queryListPage } from "@/lib/db/list-page";
import { withRetry } from "@/lib/db/retry";
import { isConditionFailure } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type Segment } from "@/lib/segments/schemas";

export type StoredSegment = Omit<Segment, "count">;

/** The stored item. The tree is kept as JSON text: it round-trips exactly (empty lists, key order). */
export function segmentItem(segment: StoredSegment): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...segmentKey(segment.id),
    ...segmentListKeys(segment.createdAt, segment.id),
    entity: "Segment",
    id: segment.id,
    name: segment.name,
    filterJson: JSON.stringify(segment.filter),
    createdAt: segment.createdAt,
    updatedAt: segment.updatedAt,
    version: segment.version,
  };
  if (segment.description !== null) item.description = segment.description;
  return item;
}

export function toSegment(item: Record<string, unknown>): StoredSegment {
  return {
    id: String(item.id),
    name: String(item.name),
    description: typeof item.description === "string" ? item.description : null,
    // Parsed again so a hand-edited item cannot smuggle an invalid tree into the index.
    filter: FilterTree.parse(JSON.parse(String(item.filterJson))),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

/** @throws ConflictError when the id is taken. */
export async function insertSegment(segment: StoredSegment): Promise<void> {
  try {
    await withRetry(() =>
      getDb().send(
        new PutCommand({
          TableName: tableName(),
          Item: segmentItem(segment),
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`Segment ${segment.id} already exists.`);
    throw error;
  }
}

/** Reads a segment (strongly consistent), or null. */
export async function getSegment(segmentId: string): Promise<StoredSegment | null> {
  const out = await withRetry(() =>
    getDb().send(
      new GetCommand({ TableName: tableName(), Key: segmentKey(segmentId), ConsistentRead: true }),
    ),
  );
  return out.Item ? toSegment(out.Item) : null;
}

/** @throws NotFoundError when the segment does not exist. */
export async function getSegmentOrThrow(segmentId: string): Promise<StoredSegment> {
  const segment = await getSegment(segmentId);
  if (!segment) throw new NotFoundError("Segment", segmentId);
  return segment;
}

/** Segments newest first. @throws ValidationError on a foreign or malformed cursor. */
export async function listSegments(opts: { limit: number; cursor?: string }): Promise<Page<StoredSegment>> {
  return queryListPage({
    ...opts,
    listPk: SEGMENTS_LIST_PK,
    itemSk: SEGMENT_SK,
    newestFirst: true,
    toItem: toSegment,
  });
}

/**
 * Replaces a segment if it is still at `expectedVersion`.
 * @throws ConflictError when it changed concurrently; NotFoundError when it is gone.
 */
export async function replaceSegment(next: StoredSegment, expectedVersion: number): Promise<void> {
  try {
    await withRetry(() =>
      getDb().send(
        new PutCommand({
          TableName: tableName(),
          Item: segmentItem(next),
          ConditionExpression: "attribute_exists(PK) AND #version = :expected",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expected": expectedVersion },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    if (!(await getSegment(next.id))) throw new NotFoundError("Segment", next.id);
    throw new ConflictError("The segment was changed concurrently; reload and retry.");
  }
}

/** @throws NotFoundError when the segment does not exist. */
export async function deleteSegmentItem(segmentId: string): Promise<void> {
  try {
    await withRetry(() =>
      getDb().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: segmentKey(segmentId),
          ConditionExpression: "attribute_exists(PK)",
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError("Segment", segmentId);
    throw error;
  }
}
