import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn, type DynamoStandIn } from "@/dev/dynamodb/server";

/**
 * Where the conformance suite runs. By default against a fresh in-memory stand-in; with
 * CONFORMANCE_TABLE_PREFIX set and AWS credentials in the environment (AWS_ACCESS_KEY_ID or AWS_PROFILE, plus
 * AWS_REGION), against real DynamoDB, creating and deleting its own on-demand tables named with that prefix.
 */
export interface ConformanceTarget {
  real: boolean;
  ddb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Present only against the stand-in. */
  standIn?: DynamoStandIn;
  /** A unique table name for this run. */
  tableName(base: string): string;
  createTable(input: CreateTableCommandInput): Promise<{ streamArn?: string }>;
  close(): Promise<void>;
}

export function targetsRealDynamo(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CONFORMANCE_TABLE_PREFIX && (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE));
}

export async function openTarget(): Promise<ConformanceTarget> {
  const real = targetsRealDynamo();
  const standIn = real ? undefined : await startDynamoStandIn({ ttlSweepMs: 60_000 });
  const config = standIn ? localClientConfig(standIn.endpoint) : {};
  // Plenty of attempts: racing tests on real DynamoDB see throttling, and the suite must not flake on it.
  const ddb = new DynamoDBClient({ ...config, maxAttempts: 10 });
  const streams = new DynamoDBStreamsClient(config);
  const prefix = real ? process.env.CONFORMANCE_TABLE_PREFIX! : "conf";
  const created: string[] = [];
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    real,
    ddb,
    streams,
    standIn,
    tableName: (base) => `${prefix}-${base}-${runId}`,
    async createTable(input) {
      const res = await ddb.send(new CreateTableCommand({ BillingMode: "PAY_PER_REQUEST", ...input }));
      created.push(input.TableName!);
      if (real)
        await waitUntilTableExists({ client: ddb, maxWaitTime: 300 }, { TableName: input.TableName! });
      return { streamArn: res.TableDescription?.LatestStreamArn };
    },
    async close() {
      if (real) {
        for (const name of created)
          await ddb.send(new DeleteTableCommand({ TableName: name })).catch(() => {});
      }
      ddb.destroy();
      streams.destroy();
      await standIn?.close();
    },
  };
}

export const simpleKeySchema = (
  hash = "pk",
): Pick<CreateTableCommandInput, "KeySchema" | "AttributeDefinitions"> => ({
  KeySchema: [{ AttributeName: hash, KeyType: "HASH" }],
  AttributeDefinitions: [{ AttributeName: hash, AttributeType: "S" }],
});

/** The stream's only shard id (the stand-in has one; on AWS a new table starts with one too). */
export async function firstShard(t: ConformanceTarget, streamArn: string): Promise<string> {
  const d = await t.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  return d.StreamDescription!.Shards![0]!.ShardId!;
}

/**
 * Reads the stream from TRIM_HORIZON until `expected` records arrived or, on AWS, a bounded wait ran out (records
 * there appear after a short delay). Returns every record read, so callers also see unexpected extras.
 */
export async function readStream(
  t: ConformanceTarget,
  streamArn: string,
  expected: number,
): Promise<_Record[]> {
  const shardId = await firstShard(t, streamArn);
  let iterator = (
    await t.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    )
  ).ShardIterator;
  const records: _Record[] = [];
  const polls = t.real ? 60 : 1;
  for (let i = 0; i < polls && iterator; i++) {
    for (;;) {
      const page: { Records?: _Record[]; NextShardIterator?: string } = await t.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator }),
      );
      records.push(...(page.Records ?? []));
      iterator = page.NextShardIterator;
      if (!iterator || (page.Records ?? []).length === 0) break;
    }
    if (records.length >= expected) break;
    if (t.real) await new Promise((r) => setTimeout(r, 1000));
  }
  // One more read on the stand-in would find nothing new; extras already written are included above.
  return records;
}
