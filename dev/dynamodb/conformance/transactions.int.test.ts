import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openTarget, simpleKeySchema, type ConformanceTarget } from "@/dev/dynamodb/conformance/harness";

let t: ConformanceTarget;
let table: string;

beforeAll(async () => {
  t = await openTarget();
  table = t.tableName("tx");
  await t.createTable({ TableName: table, ...simpleKeySchema() });
});
afterAll(() => t?.close());

const S = (s: string) => ({ S: s });
const get = async (pk: string) =>
  (await t.ddb.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) }, ConsistentRead: true }))).Item;
const put = (item: Record<string, { S: string } | { N: string }>) =>
  t.ddb.send(new PutItemCommand({ TableName: table, Item: item }));

async function cancelled(items: TransactWriteItem[], token?: string) {
  try {
    await t.ddb.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token }));
  } catch (err) {
    return err as Error & { CancellationReasons?: { Code?: string; Message?: string; Item?: unknown }[] };
  }
  throw new Error("expected the transaction to fail");
}

describe("TransactWriteItems", () => {
  it("applies Put, Update, Delete and ConditionCheck together", async () => {
    await put({ pk: S("a1"), n: { N: "1" } });
    await put({ pk: S("a2") });
    await put({ pk: S("a3") });
    await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: S("a0"), v: S("new") } } },
          {
            Update: {
              TableName: table,
              Key: { pk: S("a1") },
              UpdateExpression: "ADD n :one",
              ExpressionAttributeValues: { ":one": { N: "1" } },
            },
          },
          { Delete: { TableName: table, Key: { pk: S("a2") } } },
          {
            ConditionCheck: {
              TableName: table,
              Key: { pk: S("a3") },
              ConditionExpression: "attribute_exists(pk)",
            },
          },
        ],
      }),
    );
    expect(await get("a0")).toEqual({ pk: S("a0"), v: S("new") });
    expect(await get("a1")).toEqual({ pk: S("a1"), n: { N: "2" } });
    expect(await get("a2")).toBeUndefined();
    expect(await get("a3")).toEqual({ pk: S("a3") });
  });

  it("reports every failing item, writes nothing, and returns ALL_OLD items", async () => {
    await put({ pk: S("b1"), v: S("old") });
    await put({ pk: S("b3"), v: S("three") });
    const err = await cancelled([
      { Put: { TableName: table, Item: { pk: S("b0") } } },
      {
        Put: {
          TableName: table,
          Item: { pk: S("b1"), v: S("changed") },
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      {
        Update: {
          TableName: table,
          Key: { pk: S("b2") },
          UpdateExpression: "SET v = :v",
          ExpressionAttributeValues: { ":v": S("x") },
        },
      },
      {
        Delete: {
          TableName: table,
          Key: { pk: S("b3") },
          ConditionExpression: "v = :other",
          ExpressionAttributeValues: { ":other": S("nope") },
        },
      },
    ]);
    expect(err.name).toBe("TransactionCanceledException");
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual([
      "None",
      "ConditionalCheckFailed",
      "None",
      "ConditionalCheckFailed",
    ]);
    expect(err.CancellationReasons?.[1]?.Item).toEqual({ pk: S("b1"), v: S("old") });
    // Without ReturnValuesOnConditionCheckFailure the reason carries no item.
    expect(err.CancellationReasons?.[3]?.Item).toBeUndefined();
    expect(err.message).toContain("[None, ConditionalCheckFailed, None, ConditionalCheckFailed]");
    expect(await get("b0")).toBeUndefined();
    expect(await get("b1")).toEqual({ pk: S("b1"), v: S("old") });
    expect(await get("b2")).toBeUndefined();
    expect(await get("b3")).toEqual({ pk: S("b3"), v: S("three") });
  });

  it("never creates an item through a ConditionCheck", async () => {
    await t.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table,
              Key: { pk: S("c-absent") },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: { TableName: table, Item: { pk: S("c1") } } },
        ],
      }),
    );
    expect(await get("c-absent")).toBeUndefined();
    const err = await cancelled([
      {
        ConditionCheck: {
          TableName: table,
          Key: { pk: S("c-absent2") },
          ConditionExpression: "attribute_exists(pk)",
        },
      },
    ]);
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(["ConditionalCheckFailed"]);
    expect(await get("c-absent2")).toBeUndefined();
  });

  it("cancels the whole transaction when an update is invalid for the stored item", async () => {
    await put({ pk: S("d1"), v: S("text") });
    const err = await cancelled([
      { Put: { TableName: table, Item: { pk: S("d0") } } },
      {
        Update: {
          TableName: table,
          Key: { pk: S("d1") },
          UpdateExpression: "ADD v :one",
          ExpressionAttributeValues: { ":one": { N: "1" } },
        },
      },
    ]);
    expect(err.name).toBe("TransactionCanceledException");
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(["None", "ValidationError"]);
    expect(await get("d0")).toBeUndefined();
    expect(await get("d1")).toEqual({ pk: S("d1"), v: S("text") });
  });

  it("never lets a consistent reader see the writes of a cancelled transaction", async () => {
    await put({ pk: S("iso-text"), v: S("not a number") });
    const keys = Array.from({ length: 40 }, (_, i) => `iso-phantom-${i}`);
    // Each transaction writes its phantom first, then fails on the update (ADD to a string), so it is undone.
    const writers = keys.map((pk) =>
      cancelled([
        { Put: { TableName: table, Item: { pk: S(pk) } } },
        {
          Update: {
            TableName: table,
            Key: { pk: S("iso-text") },
            UpdateExpression: "ADD v :one",
            ExpressionAttributeValues: { ":one": { N: "1" } },
          },
        },
      ]),
    );
    const readers = Array.from({ length: 6 }, async () => {
      let seen = 0;
      for (let round = 0; round < 3; round++) {
        for (const pk of keys) if (await get(pk)) seen++;
      }
      return seen;
    });
    const [errors, seen] = await Promise.all([Promise.all(writers), Promise.all(readers)]);
    expect(errors.every((e) => e.name === "TransactionCanceledException")).toBe(true);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(0);
  });

  describe("validation", () => {
    const send = (items: TransactWriteItem[]) =>
      t.ddb.send(new TransactWriteItemsCommand({ TransactItems: items }));

    it("rejects two operations on one item", async () => {
      await expect(
        send([
          { Put: { TableName: table, Item: { pk: S("e1") } } },
          { Delete: { TableName: table, Key: { pk: S("e1") } } },
        ]),
      ).rejects.toMatchObject({
        name: "ValidationException",
        message: expect.stringContaining(
          "Transaction request cannot include multiple operations on one item",
        ),
      });
      expect(await get("e1")).toBeUndefined();
    });

    it("rejects more than 100 items and an empty list", async () => {
      const many = Array.from({ length: 101 }, (_, i) => ({
        Put: { TableName: table, Item: { pk: S(`f${i}`) } },
      }));
      await expect(send(many)).rejects.toMatchObject({
        name: "ValidationException",
        message: expect.stringMatching(/transactItems[\s\S]*length less than or equal to 100/),
      });
      await expect(send([])).rejects.toMatchObject({
        name: "ValidationException",
        message: expect.stringMatching(/transactItems[\s\S]*length greater than or equal to 1/),
      });
    });

    it("rejects an item without its key before running anything", async () => {
      await expect(
        send([
          { Put: { TableName: table, Item: { pk: S("k-ok") } } },
          { Put: { TableName: table, Item: { other: S("no key") } } },
        ]),
      ).rejects.toMatchObject({
        name: "ValidationException",
        message: expect.stringMatching(/Missing the key pk/),
      });
      await expect(send([{ Delete: { TableName: table, Key: { other: S("x") } } }])).rejects.toMatchObject({
        name: "ValidationException",
      });
      expect(await get("k-ok")).toBeUndefined();
    });

    it("accepts exactly 100 items", async () => {
      const hundred = Array.from({ length: 100 }, (_, i) => ({
        Put: { TableName: table, Item: { pk: S(`g${i}`) } },
      }));
      await send(hundred);
      expect(await get("g99")).toEqual({ pk: S("g99") });
    });
  });

  describe("ClientRequestToken", () => {
    const increment = (pk: string): TransactWriteItem => ({
      Update: {
        TableName: table,
        Key: { pk: S(pk) },
        UpdateExpression: "ADD n :one",
        ExpressionAttributeValues: { ":one": { N: "1" } },
      },
    });

    it("applies a repeated request once", async () => {
      const token = `tok-${Date.now()}-1`;
      for (let i = 0; i < 3; i++) {
        await t.ddb.send(
          new TransactWriteItemsCommand({ TransactItems: [increment("h1")], ClientRequestToken: token }),
        );
      }
      expect(await get("h1")).toEqual({ pk: S("h1"), n: { N: "1" } });
    });

    it("rejects the same token with a different request", async () => {
      const token = `tok-${Date.now()}-2`;
      await t.ddb.send(
        new TransactWriteItemsCommand({ TransactItems: [increment("h2")], ClientRequestToken: token }),
      );
      await expect(
        t.ddb.send(
          new TransactWriteItemsCommand({ TransactItems: [increment("h3")], ClientRequestToken: token }),
        ),
      ).rejects.toMatchObject({ name: "IdempotentParameterMismatchException" });
      expect(await get("h3")).toBeUndefined();
    });
  });

  it("keeps a capacity limit exact under 200 racing transactions", async () => {
    const counter = "race-counter";
    await put({ pk: S(counter), n: { N: "0" } });
    const attempt = async (i: number): Promise<"won" | "full"> => {
      for (;;) {
        try {
          await t.ddb.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: table,
                    Key: { pk: S(counter) },
                    UpdateExpression: "ADD n :one",
                    ConditionExpression: "n < :cap",
                    ExpressionAttributeValues: { ":one": { N: "1" }, ":cap": { N: "50" } },
                  },
                },
                { Put: { TableName: table, Item: { pk: S(`race-attempt-${i}`), kind: S("attempt") } } },
              ],
            }),
          );
          return "won";
        } catch (err) {
          const codes = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons?.map(
            (r) => r.Code,
          );
          if (codes?.includes("ConditionalCheckFailed")) return "full";
          // Real DynamoDB cancels some racing attempts with TransactionConflict: those must be retried.
          if (codes?.includes("TransactionConflict") || codes?.includes("ThrottlingError")) continue;
          throw err;
        }
      }
    };
    const outcomes = await Promise.all(Array.from({ length: 200 }, (_, i) => attempt(i)));
    expect(outcomes.filter((o) => o === "won")).toHaveLength(50);
    expect(await get(counter)).toEqual({ pk: S(counter), n: { N: "50" } });

    const attempts = new Set<string>();
    let startKey: Record<string, { S: string }> | undefined;
    do {
      const page = await t.ddb.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          FilterExpression: "kind = :k",
          ExpressionAttributeValues: { ":k": S("attempt") },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) attempts.add(item.pk!.S!);
      startKey = page.LastEvaluatedKey as typeof startKey;
    } while (startKey);
    const winners = outcomes.flatMap((o, i) => (o === "won" ? [`race-attempt-${i}`] : []));
    expect([...attempts].sort()).toEqual(winners.sort());
  });
});

describe("TransactGetItems", () => {
  it("reads items together and reports missing ones as empty", async () => {
    await put({ pk: S("tg1"), v: S("one") });
    const res = await t.ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: table, Key: { pk: S("tg1") } } },
          { Get: { TableName: table, Key: { pk: S("tg-missing") } } },
        ],
      }),
    );
    expect(res.Responses?.[0]?.Item).toEqual({ pk: S("tg1"), v: S("one") });
    expect(res.Responses?.[1]?.Item).toBeUndefined();
  });
});

describe("ReturnValuesOnConditionCheckFailure on single writes", () => {
  it("returns the current item with the ConditionalCheckFailedException", async () => {
    await put({ pk: S("r1"), v: S("current") });
    const attempts = [
      new PutItemCommand({
        TableName: table,
        Item: { pk: S("r1") },
        ConditionExpression: "attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: S("r1") },
        UpdateExpression: "SET v = :v",
        ConditionExpression: "v = :other",
        ExpressionAttributeValues: { ":v": S("x"), ":other": S("other") },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
      new DeleteItemCommand({
        TableName: table,
        Key: { pk: S("r1") },
        ConditionExpression: "attribute_not_exists(v)",
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      }),
    ];
    for (const command of attempts) {
      await expect(t.ddb.send(command as PutItemCommand)).rejects.toMatchObject({
        name: "ConditionalCheckFailedException",
        Item: { pk: S("r1"), v: S("current") },
      });
    }
    await expect(
      t.ddb.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: S("r1") },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
    ).rejects.toMatchObject({ name: "ConditionalCheckFailedException", Item: undefined });
    expect(await get("r1")).toEqual({ pk: S("r1"), v: S("current") });
  });

  it("carries no item when the item does not exist", async () => {
    await expect(
      t.ddb.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { pk: S("r-absent") },
          UpdateExpression: "SET v = :v",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":v": S("x") },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      ),
    ).rejects.toMatchObject({ name: "ConditionalCheckFailedException", Item: undefined });
    expect(await get("r-absent")).toBeUndefined();
  });
});
