import {
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";

import { getRawDb, tableName } from "@/lib/db/client";

/** Attribute DynamoDB's TTL sweeper reads (epoch seconds). */
export const TTL_ATTRIBUTE = "expiresAt";

/** The single-table definition: PK/SK, two generic GSIs, a stream for read models, on-demand billing. */
export function tableDefinition(name: string = tableName()): CreateTableCommandInput {
  const projection = { ProjectionType: "ALL" as const };
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "PK", AttributeType: "S" },
      { AttributeName: "SK", AttributeType: "S" },
      { AttributeName: "GSI1PK", AttributeType: "S" },
      { AttributeName: "GSI1SK", AttributeType: "S" },
      { AttributeName: "GSI2PK", AttributeType: "S" },
      { AttributeName: "GSI2SK", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: "GSI1",
        KeySchema: [
          { AttributeName: "GSI1PK", KeyType: "HASH" },
          { AttributeName: "GSI1SK", KeyType: "RANGE" },
        ],
        Projection: projection,
      },
      {
        IndexName: "GSI2",
        KeySchema: [
          { AttributeName: "GSI2PK", KeyType: "HASH" },
          { AttributeName: "GSI2SK", KeyType: "RANGE" },
        ],
        Projection: projection,
      },
    ],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

/**
 * Creates the table when missing, waits until it is ACTIVE and enables TTL. Safe to call repeatedly and
 * from concurrent processes.
 */
export async function ensureTable(): Promise<void> {
  const db = getRawDb();
  const name = tableName();
  if (!(await tableExists(name))) {
    try {
      await db.send(new CreateTableCommand(tableDefinition(name)));
    } catch (error) {
      // Another process won the race; waiting below covers both cases.
      if ((error as { name?: string }).name !== "ResourceInUseException") throw error;
    }
  }
  await waitUntilTableExists({ client: db, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
  await enableTtl(name);
}

async function tableExists(name: string): Promise<boolean> {
  try {
    await getRawDb().send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if (
      error instanceof ResourceNotFoundException ||
      (error as { name?: string }).name === "ResourceNotFoundException"
    )
      return false;
    throw error;
  }
}

async function enableTtl(name: string): Promise<void> {
  const db = getRawDb();
  const current = await db.send(new DescribeTimeToLiveCommand({ TableName: name }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === "ENABLED" || status === "ENABLING") return;
  await db.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
}
