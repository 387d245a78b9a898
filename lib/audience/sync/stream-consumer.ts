import {
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from "@aws-sdk/client-dynamodb-streams";
import { unmarshall } from "@aws-sdk/util-dynamodb";

import type { AudienceIndex } from "@/lib/audience/port";
import type { AudienceChange } from "@/lib/audience/schemas";
import { AUDIENCE_ENTITIES, changesForItem } from "@/lib/audience/sync/map-items";

/** Where the consumer has got to, per shard: the last sequence number applied to the index. */
export interface Checkpoint {
  streamArn: string;
  shards: Record<string, string>;
}

export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** Keeps the checkpoint in memory: right for an in-process index, which is rebuilt on every start anyway. */
export function memoryCheckpointStore(): CheckpointStore & { current?: Checkpoint } {
  const store: CheckpointStore & { current?: Checkpoint } = {
    async load() {
      return store.current;
    },
    async save(checkpoint) {
      store.current = structuredClone(checkpoint);
    },
  };
  return store;
}

export interface StreamConsumerOptions {
  index: AudienceIndex;
  db: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  tableName: string;
  checkpoints?: CheckpointStore;
  /** Parallel Scan segments for the rebuild; default 4. */
  scanSegments?: number;
  /** Pause between polls that returned nothing; default 500 ms. */
  idleMs?: number;
  /** Test seams: run between taking the stream position and scanning, and after the scan. */
  hooks?: { afterPosition?: () => Promise<void>; afterScan?: () => Promise<void> };
  onError?: (error: unknown) => void;
}

type Iterators = Map<string, string | undefined>;

/**
 * Feeds the audience index from the table's DynamoDB Stream. On start, an empty index is rebuilt from a
 * parallel Scan, and following starts from stream positions taken BEFORE the scan: every write the scan
 * may have missed is replayed, and replays are harmless because changes are idempotent with per-item
 * order kept. A non-empty index resumes after the checkpoint. Applied sequence numbers are checkpointed
 * after each batch.
 */
export class AudienceStreamConsumer {
  private iterators: Iterators = new Map();
  private checkpoint: Checkpoint = { streamArn: "", shards: {} };
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly checkpoints: CheckpointStore;

  constructor(private readonly opts: StreamConsumerOptions) {
    this.checkpoints = opts.checkpoints ?? memoryCheckpointStore();
  }

  /**
   * Rebuilds or resumes, then catches up with the stream; resolves once the index is current (readiness).
   * @throws Error when the table has no stream enabled.
   */
  async start(): Promise<{ rebuilt: boolean; users: number }> {
    const streamArn = await this.streamArn();
    const saved = await this.checkpoints.load();
    const stats = this.opts.index.stats();
    const empty = stats.users === 0 && stats.events === 0 && stats.registrations === 0;
    let rebuilt = false;
    if (!empty && saved?.streamArn === streamArn) {
      this.checkpoint = structuredClone(saved);
      await this.openIterators(streamArn, "resume");
    } else {
      this.checkpoint = { streamArn, shards: {} };
      await this.openIterators(streamArn, "latest");
      await this.opts.hooks?.afterPosition?.();
      await this.opts.index.rebuild(
        scanChanges(this.opts.db, this.opts.tableName, this.opts.scanSegments ?? 4),
      );
      await this.opts.hooks?.afterScan?.();
      rebuilt = true;
    }
    while ((await this.pollOnce()) > 0);
    return { rebuilt, users: this.opts.index.stats().users };
  }

  /** Keeps polling in the background until stop(). */
  follow(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const n = await this.pollOnce();
          if (n === 0) await new Promise((r) => setTimeout(r, this.opts.idleMs ?? 500));
        } catch (error) {
          this.opts.onError?.(error);
          await new Promise((r) => setTimeout(r, this.opts.idleMs ?? 500));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get position(): Checkpoint {
    return structuredClone(this.checkpoint);
  }

  /** Reads every shard once, applies the records in order and checkpoints; returns the records applied. */
  async pollOnce(): Promise<number> {
    let applied = 0;
    for (const [shardId, iterator] of [...this.iterators]) {
      if (iterator === undefined) continue;
      let out;
      try {
        out = await this.opts.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          await this.reopen(shardId);
          continue;
        }
        throw error;
      }
      const records = out.Records ?? [];
      if (records.length > 0) {
        await this.opts.index.applyChanges(records.flatMap(changesForRecord));
        this.checkpoint.shards[shardId] = records.at(-1)!.dynamodb!.SequenceNumber!;
        await this.checkpoints.save(this.checkpoint);
        applied += records.length;
      }
      this.iterators.set(shardId, out.NextShardIterator);
      // A closed shard has been read to its end: pick up its children.
      if (out.NextShardIterator === undefined)
        await this.openIterators(this.checkpoint.streamArn, "children");
    }
    return applied;
  }

  private async streamArn(): Promise<string> {
    const table = await this.opts.db.send(new DescribeTableCommand({ TableName: this.opts.tableName }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn || table.Table?.StreamSpecification?.StreamEnabled === false) {
      throw new Error(`Table ${this.opts.tableName} has no stream; the audience index cannot follow it.`);
    }
    return arn;
  }

  /**
   * latest: open shards at LATEST (the position before a scan); resume: after the checkpoint, or from the
   * start of shards the checkpoint does not know; children: shards not seen yet, from their start.
   */
  private async openIterators(streamArn: string, mode: "latest" | "resume" | "children"): Promise<void> {
    const shards = [];
    let start: string | undefined;
    do {
      const d = await this.opts.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(d.StreamDescription?.Shards ?? []));
      start = d.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (mode === "children" && this.iterators.has(shardId)) continue;
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      if (mode === "latest" && closed) continue;
      const after = this.checkpoint.shards[shardId];
      const params =
        mode === "latest"
          ? ({ ShardIteratorType: "LATEST" } as const)
          : after
            ? ({ ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after } as const)
            : ({ ShardIteratorType: "TRIM_HORIZON" } as const);
      const it = await this.opts.streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ...params }),
      );
      this.iterators.set(shardId, it.ShardIterator);
    }
  }

  /**
   * An iterator expired (15 min idle): continue after the checkpoint. If the records were trimmed (24 h),
   * the only safe move is a full rebuild.
   */
  private async reopen(shardId: string): Promise<void> {
    const after = this.checkpoint.shards[shardId];
    try {
      const it = await this.opts.streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.checkpoint.streamArn,
          ShardId: shardId,
          ...(after
            ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER" as const, SequenceNumber: after }
            : { ShardIteratorType: "LATEST" as const }),
        }),
      );
      this.iterators.set(shardId, it.ShardIterator);
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      this.iterators.clear();
      this.checkpoint = { streamArn: this.checkpoint.streamArn, shards: {} };
      await this.openIterators(this.checkpoint.streamArn, "latest");
      await this.opts.index.rebuild(
        scanChanges(this.opts.db, this.opts.tableName, this.opts.scanSegments ?? 4),
      );
    }
  }
}

function changesForRecord(record: StreamRecord): AudienceChange[] {
  const data = record.dynamodb;
  if (!data) return [];
  if (record.eventName === "REMOVE") {
    return data.OldImage ? changesForItem(unmarshall(data.OldImage as never), false) : [];
  }
  return data.NewImage ? changesForItem(unmarshall(data.NewImage as never), true) : [];
}

/** The table's audience items as change batches, one per Scan page, from `segments` parallel segments. */
export async function* scanChanges(
  db: DynamoDBClient,
  tableName: string,
  segments: number,
): AsyncGenerator<AudienceChange[]> {
  const names = { "#e": "entity" };
  const values = Object.fromEntries(AUDIENCE_ENTITIES.map((e, i) => [`:e${i}`, { S: e }]));
  const filter = `#e IN (${Object.keys(values).join(", ")})`;
  const pending = new Map<number, Promise<{ segment: number; page: ScanCommandOutput }>>();
  const fetch = (segment: number, startKey?: ScanCommandOutput["LastEvaluatedKey"]) =>
    pending.set(
      segment,
      db
        .send(
          new ScanCommand({
            TableName: tableName,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: startKey,
            FilterExpression: filter,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ConsistentRead: true,
          }),
        )
        .then((page) => ({ segment, page })),
    );
  for (let s = 0; s < segments; s++) fetch(s);
  while (pending.size > 0) {
    const { segment, page } = await Promise.race(pending.values());
    pending.delete(segment);
    if (page.LastEvaluatedKey) fetch(segment, page.LastEvaluatedKey);
    const batch = (page.Items ?? []).flatMap((item) => changesForItem(unmarshall(item), true));
    if (batch.length > 0) yield batch;
  }
}
