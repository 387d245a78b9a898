import { deflateRawSync, inflateRawSync } from "node:zlib";

import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

import { emptyProgress, type ProgressCounts } from "@/lib/campaigns/recipient-store";
import { type RecipientRow } from "@/lib/campaigns/recipient-transitions";
import { batchWriteAll, putAll } from "@/lib/db/batch";
import { getDb, getRawDb, tableName } from "@/lib/db/client";
import { decodeCursor, encodeCursor } from "@/lib/db/cursor";
import { RECIPIENT_CHUNK_SK_PREFIX, campaignPk, pendingChunkKeys, recipientChunkKey } from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import {
  conditionFailed,
  isConditionFailure,
  toRawTxItem,
  transactWrite,
  type TxItem,
} from "@/lib/db/transact";

// No "server-only": the standalone campaign runner (tsx) uses this.

/*
 * Frozen recipients are stored in chunks: one item per (up to) 50 recipients, a contiguous range in recipient
 * id order. Every change to a chunk is a whole-item put conditional on the version it was computed from, so a
 * claim or a settle of a batch of 50 is one write instead of 50; the per-recipient state machine runs in
 * memory (lib/campaigns/recipient-transitions.ts). The rows are one binary attribute, deflated JSON, opaque to
 * DynamoDB on purpose: nothing addresses one recipient inside an expression, one blob is far cheaper to
 * marshal and validate than 50 nested maps, and deflate makes a chunk ~4x smaller (write units on AWS, bytes
 * through the SDK, the stream's old and new images). What queries need is kept beside it: per-status counts
 * (progress), the earliest lease (the lease sweep) and the sparse pending index (the fan-out).
 */

/** Recipients per chunk: SendBulkEmail's limit, so an aligned batch claims and settles one chunk. */
export const CHUNK_SIZE = 50;

/** Upper bound for SK ranges over chunks: "$" sorts right after the prefix's "#". */
const CHUNK_SK_END = `${RECIPIENT_CHUNK_SK_PREFIX.slice(0, -1)}$`;

export interface RecipientChunk {
  campaignId: string;
  /** Recipient id of the first row; names the chunk. */
  first: string;
  /** Raised by every write; each write is conditional on the version it read. */
  version: number;
  /** In recipient id order. */
  rows: RecipientRow[];
}

export function chunkKeyOf(chunk: Pick<RecipientChunk, "campaignId" | "first">): string {
  return `${chunk.campaignId}\u0000${chunk.first}`;
}

export function countRows(rows: readonly RecipientRow[]): ProgressCounts {
  const counts = emptyProgress();
  for (const r of rows) counts[r.status]++;
  return counts;
}

function toItem(chunk: RecipientChunk, now: number): Record<string, unknown> {
  const counts = countRows(chunk.rows);
  let leaseMin: number | undefined;
  for (const r of chunk.rows) {
    if (r.status === "sending" && r.leaseExpiresAt !== undefined)
      leaseMin = leaseMin === undefined ? r.leaseExpiresAt : Math.min(leaseMin, r.leaseExpiresAt);
  }
  return {
    ...recipientChunkKey(chunk.campaignId, chunk.first),
    ...(counts.pending > 0 ? pendingChunkKeys(chunk.campaignId, chunk.first) : {}),
    entity: "RecipientChunk",
    campaignId: chunk.campaignId,
    first: chunk.first,
    version: chunk.version,
    rows: deflateRawSync(JSON.stringify(chunk.rows), { level: 1 }),
    counts,
    ...(leaseMin !== undefined ? { leaseMin } : {}),
    updatedAt: now,
  };
}

export function chunkFromItem(item: Record<string, unknown>): RecipientChunk {
  return {
    campaignId: String(item.campaignId),
    first: String(item.first),
    version: Number(item.version),
    rows: JSON.parse(inflateRawSync(item.rows as Uint8Array).toString("utf8")) as RecipientRow[],
  };
}

/** Splits recipients (any order, duplicates dropped) into version-1 chunks. */
export function toChunks(campaignId: string, rows: RecipientRow[]): RecipientChunk[] {
  const unique = [...new Map(rows.map((r) => [r.recipientId, r])).values()].sort((a, b) =>
    a.recipientId < b.recipientId ? -1 : a.recipientId > b.recipientId ? 1 : 0,
  );
  const chunks: RecipientChunk[] = [];
  for (let i = 0; i < unique.length; i += CHUNK_SIZE) {
    const part = unique.slice(i, i + CHUNK_SIZE);
    chunks.push({ campaignId, first: part[0]!.recipientId, version: 1, rows: part });
  }
  return chunks;
}

/** Replaces all chunks of a campaign (used while it is a draft: re-freezing starts over). */
export async function replaceChunks(campaignId: string, chunks: RecipientChunk[]): Promise<void> {
  const old: Record<string, unknown>[] = [];
  await queryChunks(campaignId, { projection: "PK, SK" }, (items) => {
    old.push(...items);
  });
  await batchWriteAll(old.map((k) => ({ DeleteRequest: { Key: { PK: String(k.PK), SK: String(k.SK) } } })));
  const now = Date.now();
  await putAll(chunks.map((c) => toItem(c, now)));
}

/** The chunk named by its first recipient id (consistent read), or null. */
export async function readChunk(campaignId: string, first: string): Promise<RecipientChunk | null> {
  const out = await withRetry(() =>
    getDb().send(
      new GetCommand({
        TableName: tableName(),
        Key: recipientChunkKey(campaignId, first),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item ? chunkFromItem(out.Item) : null;
}

/** The chunk that holds this recipient id if any recipient of the campaign has it (consistent read). */
export async function findChunk(campaignId: string, recipientId: string): Promise<RecipientChunk | null> {
  const out = await withRetry(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :lo AND :hi",
        ExpressionAttributeValues: {
          ":pk": campaignPk(campaignId),
          ":lo": RECIPIENT_CHUNK_SK_PREFIX,
          ":hi": recipientChunkKey(campaignId, recipientId).SK,
        },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    ),
  );
  const item = out.Items?.[0];
  if (!item) return null;
  const chunk = chunkFromItem(item);
  return chunk.rows.some((r) => r.recipientId === recipientId) ? chunk : null;
}

/**
 * Writes every chunk in `next` (versions already raised) if each stored chunk is still at `version - 1`,
 * together with `alongside` items, all in one transaction when there is more than one item (e.g. the
 * analytics rollup increments of the same transitions, so counts can neither be lost nor doubled).
 * @returns the first recipient ids of the chunks whose version moved on (then nothing was written); empty
 *   when all was written.
 */
export async function writeChunks(next: RecipientChunk[], alongside: TxItem[] = []): Promise<string[]> {
  const now = Date.now();
  const puts = next.map((chunk) => ({
    TableName: tableName(),
    Item: toItem(chunk, now),
    ConditionExpression: "version = :v",
    ExpressionAttributeValues: { ":v": chunk.version - 1 },
  }));
  if (puts.length === 1 && alongside.length === 0) {
    const put = toRawTxItem({ Put: puts[0]! }).Put!;
    try {
      await withRetry(() => getRawDb().send(new PutItemCommand(put)));
      return [];
    } catch (error) {
      if (isConditionFailure(error)) return [next[0]!.first];
      throw error;
    }
  }
  const stale: string[] = [];
  try {
    await transactWrite([...puts.map((Put) => ({ Put })), ...alongside], (reasons) => {
      next.forEach((chunk, i) => {
        if (conditionFailed(reasons, i)) stale.push(chunk.first);
      });
      return stale.length > 0
        ? new StaleChunks()
        : new Error("Recipient chunk transaction cancelled without a failed chunk condition.");
    });
    return [];
  } catch (error) {
    if (error instanceof StaleChunks) return stale;
    throw error;
  }
}

/** A chunk write whose version condition failed: someone else changed the chunk since it was read. */
class StaleChunks extends Error {}

interface ChunkQuery {
  /** Chunks from this one (named by its first recipient id) on; all when absent. */
  fromChunk?: string;
  /** Only chunks holding a pending recipient (the sparse GSI2). */
  pendingOnly?: boolean;
  filter?: { expression: string; values: Record<string, unknown> };
  projection?: string;
  /** Items per Query call. */
  pageSize?: number;
}

/** Visits raw chunk items page by page in recipient id order; `visit` returns false to stop early. */
export async function queryChunks(
  campaignId: string,
  query: ChunkQuery,
  visit: (items: Record<string, unknown>[], more: boolean) => boolean | void,
): Promise<void> {
  let input: ConstructorParameters<typeof QueryCommand>[0];
  if (query.pendingOnly) {
    input = {
      TableName: tableName(),
      IndexName: "GSI2",
      KeyConditionExpression: query.fromChunk ? "GSI2PK = :pk AND GSI2SK >= :from" : "GSI2PK = :pk",
      ExpressionAttributeValues: {
        ":pk": pendingChunkKeys(campaignId, "").GSI2PK,
        ...(query.fromChunk ? { ":from": query.fromChunk } : {}),
      },
    };
  } else {
    const lo = query.fromChunk
      ? recipientChunkKey(campaignId, query.fromChunk).SK
      : RECIPIENT_CHUNK_SK_PREFIX;
    input = {
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND SK BETWEEN :lo AND :hi",
      ExpressionAttributeValues: { ":pk": campaignPk(campaignId), ":lo": lo, ":hi": CHUNK_SK_END },
      ConsistentRead: true,
    };
  }
  if (query.filter) {
    input.FilterExpression = query.filter.expression;
    Object.assign(input.ExpressionAttributeValues!, query.filter.values);
  }
  if (query.projection) input.ProjectionExpression = query.projection;
  if (query.pageSize) input.Limit = query.pageSize;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await withRetry(() =>
      getDb().send(new QueryCommand({ ...input, ExclusiveStartKey: startKey })),
    );
    if (visit(out.Items ?? [], out.LastEvaluatedKey !== undefined) === false) return;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** Per-status totals of a campaign from the chunks' counts (no rows read). */
export async function countChunks(campaignId: string): Promise<ProgressCounts> {
  const total = emptyProgress();
  await queryChunks(campaignId, { projection: "counts" }, (items) => {
    for (const item of items) {
      const counts = item.counts as Partial<ProgressCounts> | undefined;
      for (const [status, n] of Object.entries(counts ?? {}))
        total[status as keyof ProgressCounts] += Number(n);
    }
  });
  return total;
}

/** Where a recipient listing resumes: after `after`, which sits in the chunk named `chunk`. */
export interface RecipientCursor {
  after: string;
  chunk: string;
}

export function encodeRecipientCursor(cursor: RecipientCursor): string {
  return encodeCursor({ after: cursor.after, chunk: cursor.chunk })!;
}

/** @throws ValidationError (field "cursor") on a cursor no recipient listing produced. */
export function decodeRecipientCursor(cursor: string | undefined): RecipientCursor | undefined {
  const decoded = decodeCursor(cursor, { attributes: ["after", "chunk"] });
  return decoded ? { after: decoded.after!, chunk: decoded.chunk! } : undefined;
}
