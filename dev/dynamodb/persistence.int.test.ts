import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn } from "@/dev/dynamodb/server";

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "rally-standin-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function readAll(streams: DynamoDBStreamsClient, arn: string) {
  const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const it = await streams.send(
    new GetShardIteratorCommand({
      StreamArn: arn,
      ShardId: d.StreamDescription!.Shards![0]!.ShardId!,
      ShardIteratorType: "TRIM_HORIZON",
    }),
  );
  return (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records ?? [];
}

describe("restart with a dataDir", () => {
  it("keeps items, the stream log, stream settings and TTL settings", async () => {
    const first = await startDynamoStandIn({ dataDir });
    const ddb1 = new DynamoDBClient(localClientConfig(first.endpoint));
    const created = await ddb1.send(
      new CreateTableCommand({
        TableName: "persisted",
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
      }),
    );
    const arn = created.TableDescription!.LatestStreamArn!;
    await ddb1.send(
      new UpdateTimeToLiveCommand({
        TableName: "persisted",
        TimeToLiveSpecification: { Enabled: true, AttributeName: "ttl" },
      }),
    );
    await ddb1.send(new PutItemCommand({ TableName: "persisted", Item: { pk: { S: "a" }, v: { N: "1" } } }));
    await ddb1.send(new PutItemCommand({ TableName: "persisted", Item: { pk: { S: "b" } } }));
    const before = await readAll(new DynamoDBStreamsClient(localClientConfig(first.endpoint)), arn);
    expect(before).toHaveLength(2);
    ddb1.destroy();
    await first.close();

    const second = await startDynamoStandIn({ dataDir });
    try {
      const ddb2 = new DynamoDBClient(localClientConfig(second.endpoint));
      const streams2 = new DynamoDBStreamsClient(localClientConfig(second.endpoint));
      const item = await ddb2.send(new GetItemCommand({ TableName: "persisted", Key: { pk: { S: "a" } } }));
      expect(item.Item).toEqual({ pk: { S: "a" }, v: { N: "1" } });
      const desc = await ddb2.send(new DescribeTableCommand({ TableName: "persisted" }));
      expect(desc.Table?.LatestStreamArn).toBe(arn);
      expect(desc.Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: "NEW_IMAGE" });
      const ttl = await ddb2.send(new DescribeTimeToLiveCommand({ TableName: "persisted" }));
      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });

      await ddb2.send(new PutItemCommand({ TableName: "persisted", Item: { pk: { S: "c" } } }));
      const after = await readAll(streams2, arn);
      expect(after.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(["a", "b", "c"]);
      // Sequence numbers keep rising across the restart.
      expect(BigInt(after[2]!.dynamodb!.SequenceNumber!) > BigInt(after[1]!.dynamodb!.SequenceNumber!)).toBe(
        true,
      );
      expect(after.slice(0, 2).map((r) => r.dynamodb?.SequenceNumber)).toEqual(
        before.map((r) => r.dynamodb?.SequenceNumber),
      );
      ddb2.destroy();
    } finally {
      await second.close();
    }
  });

  it("refuses a dataDir another stand-in holds, with a clear message", async () => {
    const holder = await startDynamoStandIn({ dataDir });
    try {
      await expect(startDynamoStandIn({ dataDir })).rejects.toThrow(/another .* using it/);
    } finally {
      await holder.close();
    }
  });
});
