import { CreateTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { startDynamoStandIn, type DynamoStandIn } from "@/dev/dynamodb/server";

let standIn: DynamoStandIn;
let ddb: DynamoDBClient;
beforeAll(async () => {
  standIn = await startDynamoStandIn();
  ddb = new DynamoDBClient(localClientConfig(standIn.endpoint));
  await ddb.send(
    new CreateTableCommand({
      TableName: "tokens",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    }),
  );
});
afterAll(async () => {
  ddb.destroy();
  await standIn.close();
});

/** Sends a request body as given: the SDK always writes members in one order, a client need not. */
async function transact(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(standIn.endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": "DynamoDB_20120810.TransactWriteItems",
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const count = async (pk: string) =>
  (await ddb.send(new GetItemCommand({ TableName: "tokens", Key: { pk: { S: pk } }, ConsistentRead: true })))
    .Item?.n?.N;

describe("ClientRequestToken", () => {
  const rows = Buffer.alloc(3000, 1).toString("base64");
  const add = (pk: string, n: string) =>
    `{"Update":{"TableName":"tokens","Key":{"pk":{"S":"${pk}"}},"UpdateExpression":"ADD n :n SET bin1 = :r","ExpressionAttributeValues":{":n":{"N":"${n}"},":r":{"B":"${rows}"}}}}`;
  const reordered = (pk: string, n: string) =>
    `{"Update":{"ExpressionAttributeValues":{":r":{"B":"${rows}"},":n":{"N":"${n}"}},"UpdateExpression":"ADD n :n SET bin1 = :r","Key":{"pk":{"S":"${pk}"}},"TableName":"tokens"}}`;

  it("replays the same request, byte for byte or with its members in another order", async () => {
    const first = await transact(`{"TransactItems":[${add("a", "1")}],"ClientRequestToken":"tok-a"}`);
    expect(first.status).toBe(200);
    expect((await transact(`{"TransactItems":[${add("a", "1")}],"ClientRequestToken":"tok-a"}`)).status).toBe(
      200,
    );
    expect(
      (await transact(`{"ClientRequestToken":"tok-a","TransactItems":[${reordered("a", "1")}]}`)).status,
    ).toBe(200);
    expect(await count("a")).toBe("1");
  });

  it("rejects the token with any other request and writes nothing", async () => {
    expect((await transact(`{"TransactItems":[${add("b", "1")}],"ClientRequestToken":"tok-b"}`)).status).toBe(
      200,
    );
    for (const other of [add("b", "2"), add("c", "1"), `${add("b", "1")},${add("c", "1")}`]) {
      const res = await transact(`{"TransactItems":[${other}],"ClientRequestToken":"tok-b"}`);
      expect(res.status).toBe(400);
      expect(res.json.__type).toBe("com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException");
    }
    expect(await count("b")).toBe("1");
    expect(await count("c")).toBeUndefined();
  });
});
