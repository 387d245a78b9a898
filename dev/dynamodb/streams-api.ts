import type { StandInContext } from "@/dev/dynamodb/context";
import { DynamoError, resourceNotFound, validationError, type JsonObject } from "@/dev/dynamodb/errors";
import { padSeq, type StreamMeta } from "@/dev/dynamodb/stream-log";

/** Shard iterators expire after 15 minutes, as in DynamoDB Streams. */
export const ITERATOR_TTL_MS = 15 * 60 * 1000;
const MAX_GET_RECORDS = 1000;

/** The one shard each stream has; its id is stable for the stream's life. */
export function shardIdOf(meta: StreamMeta): string {
  return `shardId-${meta.startSeq.padStart(20, "0").slice(-20)}-${meta.label.replace(/\D/g, "").slice(-8)}`;
}

interface IteratorState {
  /** Stream ARN. */
  a: string;
  /** Shard id. */
  s: string;
  /** Read records with sequence numbers above this. */
  p: string;
  /** Issued at (ms). */
  t: number;
}

function encodeIterator(state: IteratorState): string {
  return `${state.a}|${Buffer.from(JSON.stringify(state)).toString("base64url")}`;
}

function decodeIterator(iterator: unknown): IteratorState {
  if (typeof iterator !== "string" || iterator.length === 0) {
    throw validationError(
      "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null",
    );
  }
  try {
    const state = JSON.parse(
      Buffer.from(iterator.slice(iterator.lastIndexOf("|") + 1), "base64url").toString(),
    );
    if (typeof state.a === "string" && typeof state.p === "string" && typeof state.t === "number")
      return state;
  } catch {
    // fall through to the validation error
  }
  throw validationError("Invalid ShardIterator");
}

function streamOf(ctx: StandInContext, arn: unknown): StreamMeta {
  const meta = typeof arn === "string" ? ctx.log.byArn(arn) : undefined;
  if (!meta) throw resourceNotFound(`Requested resource not found: Stream: ${String(arn)} not found`);
  return meta;
}

function parseSeq(value: unknown): bigint {
  if (typeof value !== "string" || !/^\d{1,40}$/.test(value)) {
    throw validationError(`Invalid SequenceNumber: ${String(value)}`);
  }
  return BigInt(value);
}

function listStreams(ctx: StandInContext, body: JsonObject): JsonObject {
  let streams = ctx.log.list().filter((s) => body.TableName === undefined || s.tableName === body.TableName);
  if (typeof body.ExclusiveStartStreamArn === "string") {
    const at = streams.findIndex((s) => s.arn === body.ExclusiveStartStreamArn);
    streams = streams.slice(at + 1);
  }
  const limit = typeof body.Limit === "number" ? body.Limit : 100;
  const page = streams.slice(0, limit);
  return {
    Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
    ...(streams.length > limit && page.length > 0
      ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn }
      : {}),
  };
}

async function describeStream(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const meta = streamOf(ctx, body.StreamArn);
  const shardId = shardIdOf(meta);
  const shards =
    body.ExclusiveStartShardId === shardId
      ? []
      : [
          {
            ShardId: shardId,
            SequenceNumberRange: {
              StartingSequenceNumber: (await ctx.log.firstSeq(meta)) ?? meta.startSeq,
              ...(meta.endSeq ? { EndingSequenceNumber: meta.endSeq } : {}),
            },
          },
        ];
  return {
    StreamDescription: {
      StreamArn: meta.arn,
      StreamLabel: meta.label,
      StreamStatus: meta.endSeq ? "DISABLED" : "ENABLED",
      StreamViewType: meta.viewType,
      CreationRequestDateTime: meta.createdAt / 1000,
      TableName: meta.tableName,
      KeySchema: meta.keySchema,
      Shards: shards,
    },
  };
}

async function getShardIterator(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const meta = streamOf(ctx, body.StreamArn);
  if (body.ShardId !== shardIdOf(meta)) {
    throw resourceNotFound(
      `Requested resource not found: Shard: ${String(body.ShardId)} in Stream: ${meta.arn} not found`,
    );
  }
  let after: bigint;
  switch (body.ShardIteratorType) {
    case "TRIM_HORIZON":
      after = BigInt(meta.startSeq) - 1n;
      break;
    case "LATEST":
      after = meta.endSeq ? BigInt(meta.endSeq) : ctx.log.lastSeq;
      break;
    case "AT_SEQUENCE_NUMBER":
      after = parseSeq(body.SequenceNumber) - 1n;
      break;
    case "AFTER_SEQUENCE_NUMBER":
      after = parseSeq(body.SequenceNumber);
      break;
    default:
      throw validationError(
        `1 validation error detected: Value '${String(body.ShardIteratorType)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, AT_SEQUENCE_NUMBER, LATEST]`,
      );
  }
  if (body.ShardIteratorType === "AT_SEQUENCE_NUMBER" || body.ShardIteratorType === "AFTER_SEQUENCE_NUMBER") {
    const first = await ctx.log.firstSeq(meta);
    const oldest = first === undefined ? ctx.log.lastSeq + 1n : BigInt(first);
    if (after + 1n < oldest) {
      throw new DynamoError(
        "TrimmedDataAccessException",
        `The requested sequence number ${String(body.SequenceNumber)} is beyond the trim horizon of the shard.`,
      );
    }
  }
  return {
    ShardIterator: encodeIterator({ a: meta.arn, s: shardIdOf(meta), p: after.toString(), t: Date.now() }),
  };
}

async function getRecords(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const state = decodeIterator(body.ShardIterator);
  const limit = body.Limit === undefined ? MAX_GET_RECORDS : body.Limit;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_GET_RECORDS) {
    throw validationError(
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value ${typeof limit === "number" && limit < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_GET_RECORDS}`}`,
    );
  }
  const now = Date.now();
  if (now - state.t > ITERATOR_TTL_MS) {
    throw new DynamoError(
      "ExpiredIteratorException",
      `Iterator expired. The iterator was created at time ${new Date(state.t).toISOString()} while right now it is ${new Date(now).toISOString()} which is further in the future than the tolerated delay of 900000 milliseconds.`,
    );
  }
  const meta = streamOf(ctx, state.a);
  const records = await ctx.log.readAfter(meta, BigInt(state.p), limit);
  const last = records.at(-1)?.dynamodb.SequenceNumber ?? padSeq(BigInt(state.p));
  // A closed shard has no next iterator once its last record has been read.
  const exhausted = meta.endSeq !== undefined && BigInt(last) >= BigInt(meta.endSeq);
  return {
    Records: records,
    ...(exhausted
      ? {}
      : { NextShardIterator: encodeIterator({ ...state, p: BigInt(last).toString(), t: now }) }),
  };
}

/** Answers one DynamoDB Streams API call (target prefix DynamoDBStreams_20120810.). */
export async function handleStreamsCall(
  ctx: StandInContext,
  op: string,
  body: JsonObject,
): Promise<JsonObject> {
  switch (op) {
    case "ListStreams":
      return listStreams(ctx, body);
    case "DescribeStream":
      return describeStream(ctx, body);
    case "GetShardIterator":
      return getShardIterator(ctx, body);
    case "GetRecords":
      return getRecords(ctx, body);
    default:
      throw new DynamoError("com.amazon.coral.service#UnknownOperationException", `Unknown operation ${op}`);
  }
}
