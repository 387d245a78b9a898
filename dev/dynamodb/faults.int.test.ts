import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn, type DynamoStandIn } from "@/dev/dynamodb/server";

let standIn: DynamoStandIn;
let ddb: DynamoDBClient;
const TABLE = "faults";

beforeAll(async () => {
  standIn = await startDynamoStandIn();
  ddb = new DynamoDBClient({ ...localClientConfig(standIn.endpoint), maxAttempts: 1 });
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    }),
  );
});
afterAll(async () => {
  ddb.destroy();
  await standIn.close();
});

const admin = (body?: unknown) =>
  fetch(`${standIn.endpoint}/__admin/faults`, {
    method: body === undefined ? "GET" : "POST",
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("fault injection", () => {
  it("cancels transactions with a TransactionConflict reason and writes nothing", async () => {
    standIn.setFaults({ transactionConflictRate: 1 });
    try {
      const err = await ddb
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { pk: { S: "tx1" } } } },
              { Put: { TableName: TABLE, Item: { pk: { S: "tx2" } } } },
            ],
          }),
        )
        .catch((e: Error & { CancellationReasons?: { Code?: string }[] }) => e);
      expect(err).toMatchObject({ name: "TransactionCanceledException" });
      const codes = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map(
        (r) => r.Code,
      );
      expect(codes).toContain("TransactionConflict");
      expect(codes?.filter((c) => c !== "None")).toEqual(["TransactionConflict"]);
      const item = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "tx1" } } }));
      expect(item.Item).toBeUndefined();
    } finally {
      standIn.setFaults({});
    }
  });

  it("is switchable over HTTP from another process and throttles like DynamoDB", async () => {
    const on = await admin({ throttleRate: 1 });
    expect(on.status).toBe(200);
    expect(await (await admin()).json()).toEqual({ throttleRate: 1, transactionConflictRate: 0 });
    try {
      const err = await ddb
        .send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: "t" } } }))
        .catch((e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
      expect(["ThrottlingException", "ProvisionedThroughputExceededException"]).toContain(
        (err as Error).name,
      );
      expect((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(400);
    } finally {
      expect((await admin({})).status).toBe(200);
    }
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: "t" } } }));
  });

  it("rejects a bad fault setting and keeps the old one", async () => {
    const res = await admin({ throttleRate: 2 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/throttleRate/);
    expect(await (await admin()).json()).toEqual({ throttleRate: 0, transactionConflictRate: 0 });
  });

  it("throttles as a retryable error, so the SDK retries it", async () => {
    const retrying = new DynamoDBClient({ ...localClientConfig(standIn.endpoint), maxAttempts: 2 });
    standIn.setFaults({ throttleRate: 1 });
    try {
      const err = await retrying
        .send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: "retried" } } }))
        .catch((e: unknown) => e);
      expect((err as { $metadata?: { attempts?: number } }).$metadata?.attempts).toBe(2);
    } finally {
      standIn.setFaults({});
      retrying.destroy();
    }
  });

  it("throttles about the configured fraction, and retried writes all land", async () => {
    standIn.setFaults({ throttleRate: 0.3 });
    let throttled = 0;
    try {
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          for (;;) {
            try {
              return await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: `r${i}` } } }));
            } catch (err) {
              if (!/Throttling|ProvisionedThroughputExceeded/.test((err as Error).name)) throw err;
              throttled++;
            }
          }
        }),
      );
    } finally {
      standIn.setFaults({});
    }
    // 40 requests at 30 %: none throttled has probability 0.7^40 < 1e-6.
    expect(throttled).toBeGreaterThan(0);
    for (const i of [0, 39]) {
      const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `r${i}` } } }));
      expect(got.Item).toBeDefined();
    }
  });

  it("keeps a capacity exact when racing transactions are retried after injected conflicts", async () => {
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: "cap" }, n: { N: "0" } } }));
    standIn.setFaults({ transactionConflictRate: 0.3 });
    try {
      const attempt = async (i: number) => {
        for (;;) {
          try {
            await ddb.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: TABLE,
                      Key: { pk: { S: "cap" } },
                      UpdateExpression: "ADD n :one",
                      ConditionExpression: "n < :cap",
                      ExpressionAttributeValues: { ":one": { N: "1" }, ":cap": { N: "20" } },
                    },
                  },
                  { Put: { TableName: TABLE, Item: { pk: { S: `cap-${i}` } } } },
                ],
              }),
            );
            return true;
          } catch (err) {
            const codes = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map(
              (r) => r.Code,
            );
            if (codes?.includes("TransactionConflict")) continue;
            if (codes?.includes("ConditionalCheckFailed")) return false;
            throw err;
          }
        }
      };
      const won = (await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(i)))).filter(Boolean);
      expect(won).toHaveLength(20);
      const cap = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: "cap" } } }));
      expect(cap.Item?.n).toEqual({ N: "20" });
    } finally {
      standIn.setFaults({});
    }
  });
});
