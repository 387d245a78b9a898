import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

import { getEnv, usesLocalAws } from "@/lib/env";

// No "server-only" here: tsx scripts (seed, create-api-key, bench) import this module.

interface Clients {
  key: string;
  raw: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

const globalForDb = globalThis as unknown as { rallyDynamo?: Clients };

/** How plain objects become DynamoDB items, for the Document client and for writes marshalled by hand. */
export const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;

/**
 * The one DynamoDB Document client. Cached on globalThis so Next's dev reloads reuse sockets; rebuilt when
 * the endpoint changes (tests start a stand-in per file and call resetEnvCache()).
 */
export function getDb(): DynamoDBDocumentClient {
  return getClients().doc;
}

/** The low-level client, for table administration (CreateTable, DescribeTable, TTL). */
export function getRawDb(): DynamoDBClient {
  return getClients().raw;
}

/** The table every entity lives in. */
export function tableName(): string {
  return getEnv().DYNAMODB_TABLE;
}

function getClients(): Clients {
  const env = getEnv();
  const key = `${env.DYNAMODB_ENDPOINT ?? "aws"}|${env.AWS_REGION}`;
  const cached = globalForDb.rallyDynamo;
  if (cached && cached.key === key) return cached;
  cached?.raw.destroy();
  const raw = new DynamoDBClient({
    region: env.AWS_REGION,
    // lib/db/retry.ts owns retries (with jitter, mapped to 503); SDK retries on top would multiply them.
    maxAttempts: 1,
    ...(usesLocalAws(env)
      ? { endpoint: env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
  // A copy: the Document client writes its own defaults into the options object it is given.
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { ...MARSHALL_OPTIONS } });
  globalForDb.rallyDynamo = { key, raw, doc };
  return globalForDb.rallyDynamo;
}
