import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn, type DynamoStandIn } from "@/dev/dynamodb/server";

let standIn: DynamoStandIn;
let ddb: DynamoDBClient;
beforeAll(async () => {
  // dynalite finishes table changes on a timer; a slow one makes a missing wait show up every time.
  standIn = await startDynamoStandIn({ tableChangeMs: 30 });
  ddb = new DynamoDBClient(localClientConfig(standIn.endpoint));
});
afterAll(async () => {
  ddb.destroy();
  await standIn.close();
});

const create = (name: string, stream = false) =>
  ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      ...(stream
        ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" as const } }
        : {}),
    }),
  );

describe("table changes", () => {
  it("are usable by the very next request, with no waiter", async () => {
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await create(`instant-${i}`);
        await ddb.send(new PutItemCommand({ TableName: `instant-${i}`, Item: { pk: { S: "x" } } }));
      }),
    );
    const desc = await ddb.send(new DescribeTableCommand({ TableName: "instant-0" }));
    expect(desc.Table?.TableStatus).toBe("ACTIVE");
  });

  it("let a deleted table be created again at once, with a new stream", async () => {
    const first = await create("again", true);
    await ddb.send(new DeleteTableCommand({ TableName: "again" }));
    const second = await create("again", true);
    expect(second.TableDescription?.LatestStreamArn).toBeTruthy();
    expect(second.TableDescription?.LatestStreamArn).not.toBe(first.TableDescription?.LatestStreamArn);
    await ddb.send(new PutItemCommand({ TableName: "again", Item: { pk: { S: "y" } } }));
  });
});
