import {
  CreateTableCommand,
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
import { afterEach, describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn, type DynamoStandIn } from "@/dev/dynamodb/server";

let standIn: DynamoStandIn | undefined;
afterEach(() => standIn?.close());

const nowS = () => Math.floor(Date.now() / 1000);
const N = (n: number) => ({ N: String(n) });

async function setup(opts: { ttlSweepMs?: number; ttlPageSize?: number } = {}) {
  standIn = await startDynamoStandIn({
    ttlSweepMs: opts.ttlSweepMs ?? 3_600_000,
    ttlPageSize: opts.ttlPageSize,
  });
  const ddb = new DynamoDBClient(localClientConfig(standIn.endpoint));
  const streams = new DynamoDBStreamsClient(localClientConfig(standIn.endpoint));
  const created = await ddb.send(
    new CreateTableCommand({
      TableName: "ttl-table",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: "ttl-table",
      TimeToLiveSpecification: { Enabled: true, AttributeName: "expiresAt" },
    }),
  );
  const exists = async (pk: string) =>
    (
      await ddb.send(
        new GetItemCommand({ TableName: "ttl-table", Key: { pk: { S: pk } }, ConsistentRead: true }),
      )
    ).Item !== undefined;
  const put = (pk: string, extra: Record<string, { N: string } | { S: string }> = {}) =>
    ddb.send(new PutItemCommand({ TableName: "ttl-table", Item: { pk: { S: pk }, ...extra } }));
  const records = async () => {
    const arn = created.TableDescription!.LatestStreamArn!;
    const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const it = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: d.StreamDescription!.Shards![0]!.ShardId!,
        ShardIteratorType: "TRIM_HORIZON",
      }),
    );
    return (await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator! }))).Records ?? [];
  };
  return { standIn, ddb, put, exists, records };
}

describe("TTL sweeper", () => {
  it("removes only items whose numeric TTL has passed, with a service REMOVE record", async () => {
    const s = await setup();
    await s.put("expired", { expiresAt: N(nowS() - 10) });
    await s.put("future", { expiresAt: N(nowS() + 3600) });
    await s.put("string-ttl", { expiresAt: { S: String(nowS() - 10) } });
    await s.put("ancient", { expiresAt: N(nowS() - 6 * 365 * 24 * 3600) });
    await s.put("no-ttl");

    expect(await s.standIn.sweepTtl()).toBe(1);
    expect(await s.exists("expired")).toBe(false);
    for (const pk of ["future", "string-ttl", "ancient", "no-ttl"]) expect(await s.exists(pk)).toBe(true);

    const removes = (await s.records()).filter((r) => r.eventName === "REMOVE");
    expect(removes).toHaveLength(1);
    expect(removes[0]).toMatchObject({
      userIdentity: { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" },
      dynamodb: { Keys: { pk: { S: "expired" } }, OldImage: { pk: { S: "expired" } } },
    });
    expect(await s.standIn.sweepTtl()).toBe(0);
  });

  it("walks a large table a page at a time and reaches every expired item", async () => {
    const s = await setup({ ttlPageSize: 3 });
    for (let i = 0; i < 10; i++) await s.put(`e${i}`, { expiresAt: N(nowS() - 1) });
    await s.put("keep", { expiresAt: N(nowS() + 3600) });
    let removed = 0;
    const passes: number[] = [];
    for (let pass = 0; pass < 6; pass++) {
      const n = await s.standIn.sweepTtl();
      passes.push(n);
      removed += n;
    }
    expect(Math.max(...passes)).toBeLessThanOrEqual(3);
    expect(removed).toBe(10);
    expect(await s.exists("keep")).toBe(true);
  });

  it("runs on its own timer", async () => {
    const s = await setup({ ttlSweepMs: 20 });
    await s.put("soon-gone", { expiresAt: N(nowS() - 1) });
    // Bounded wait for the background sweep; the assertion is about the outcome, not its timing.
    for (let i = 0; i < 250 && (await s.exists("soon-gone")); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await s.exists("soon-gone")).toBe(false);
  });
});
