/**
 * `npm run bench:local-dynamodb`: throughput of the DynamoDB stand-in through SDK v3, in memory and with a data
 * directory. The stand-in runs in its own process (as under `npm run dev`), the clients here. Prints a table and
 * appends a dated section to docs/benchmarks.md. Runs in about a minute on 2 cores.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";

import { localClientConfig } from "@/dev/local-aws";

const SIZES = {
  seqPuts: 1500,
  concurrentPuts: 4000,
  batchItems: 40_000,
  plainBatchItems: 20_000,
  transactions: 1500,
  clients: 8,
  batchWriters: 4,
};
const TABLE = "bench";

interface Row {
  mode: string;
  metric: string;
  value: string;
}

async function startStandIn(dataDir?: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const args = [
    "dev/dynamodb/cli.ts",
    "--ttl-sweep-ms",
    "3600000",
    ...(dataDir ? ["--data-dir", dataDir] : []),
  ];
  const child = spawn(join("node_modules", ".bin", "tsx"), args, { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith("{")) return { endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, child };
  }
  throw new Error("The stand-in exited before it was listening.");
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

const item = (pk: string, i: number): Record<string, AttributeValue> => ({
  PK: { S: pk },
  SK: { S: `ITEM#${String(i).padStart(8, "0")}` },
  name: { S: `Attendee ${i}` },
  email: { S: `attendee${i}@example.test` },
  count: { N: String(i % 97) },
  tags: { SS: ["bench", `t${i % 7}`] },
});

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString("en-US")}/s`;
const now = () => performance.now();

async function runMode(mode: string, dataDir?: string): Promise<Row[]> {
  const { endpoint, child } = await startStandIn(dataDir);
  const rows: Row[] = [];
  const push = (metric: string, value: string) => {
    rows.push({ mode, metric, value });
    console.log(`  ${mode.padEnd(10)} ${metric.padEnd(44)} ${value}`);
  };
  const clients = Array.from(
    { length: SIZES.clients },
    () => new DynamoDBClient(localClientConfig(endpoint)),
  );
  const ddb = clients[0]!;
  try {
    // The app's table shape: composite key and a NEW_AND_OLD_IMAGES stream, so every write pays for its record.
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "PK", KeyType: "HASH" },
          { AttributeName: "SK", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "PK", AttributeType: "S" },
          { AttributeName: "SK", AttributeType: "S" },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );

    const latencies: number[] = [];
    let t0 = now();
    for (let i = 0; i < SIZES.seqPuts; i++) {
      const s = now();
      await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item("SEQ", i) }));
      latencies.push(now() - s);
    }
    latencies.sort((a, b) => a - b);
    push(
      "PutItem, 1 client sequential",
      `${rate(SIZES.seqPuts, now() - t0)} (p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(2)} ms)`,
    );

    t0 = now();
    const perClient = SIZES.concurrentPuts / SIZES.clients;
    await Promise.all(
      clients.map(async (c, ci) => {
        for (let i = 0; i < perClient; i++)
          await c.send(new PutItemCommand({ TableName: TABLE, Item: item(`C${ci}`, i) }));
      }),
    );
    push(`PutItem, ${SIZES.clients} clients`, rate(SIZES.concurrentPuts, now() - t0));

    t0 = now();
    const batches = SIZES.batchItems / 25;
    let next = 0;
    await Promise.all(
      Array.from({ length: SIZES.batchWriters }, async (_, w) => {
        for (let b = next++; b < batches; b = next++) {
          let request: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> = {
            [TABLE]: Array.from({ length: 25 }, (_, k) => ({
              PutRequest: { Item: item(`B${b % 64}`, b * 25 + k) },
            })),
          };
          while (Object.keys(request).length > 0) {
            const res = await clients[w]!.send(new BatchWriteItemCommand({ RequestItems: request }));
            request = (res.UnprocessedItems ?? {}) as typeof request;
          }
        }
      }),
    );
    push(
      `BatchWriteItem, 25/batch, ${SIZES.batchWriters} writers`,
      `${rate(SIZES.batchItems, now() - t0)} items`,
    );

    // The same load on a table without a stream shows what capturing images and records costs.
    await ddb.send(
      new CreateTableCommand({
        TableName: `${TABLE}-nostream`,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: [
          { AttributeName: "PK", KeyType: "HASH" },
          { AttributeName: "SK", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "PK", AttributeType: "S" },
          { AttributeName: "SK", AttributeType: "S" },
        ],
      }),
    );
    t0 = now();
    const plainBatches = SIZES.plainBatchItems / 25;
    let nextPlain = 0;
    await Promise.all(
      Array.from({ length: SIZES.batchWriters }, async (_, w) => {
        for (let b = nextPlain++; b < plainBatches; b = nextPlain++) {
          await clients[w]!.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [`${TABLE}-nostream`]: Array.from({ length: 25 }, (_, k) => ({
                  PutRequest: { Item: item(`B${b % 64}`, b * 25 + k) },
                })),
              },
            }),
          );
        }
      }),
    );
    push("BatchWriteItem, same, table without stream", `${rate(SIZES.plainBatchItems, now() - t0)} items`);

    t0 = now();
    const perTxClient = SIZES.transactions / SIZES.clients;
    await Promise.all(
      clients.map(async (c, ci) => {
        for (let i = 0; i < perTxClient; i++) {
          // A registration's shape: counter under a condition, the registration, a user index row, an audit row.
          await c.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: TABLE,
                    Key: { PK: { S: `EVENT#${ci}` }, SK: { S: "META" } },
                    UpdateExpression: "ADD registered :one",
                    ConditionExpression: "attribute_not_exists(registered) OR registered < :cap",
                    ExpressionAttributeValues: { ":one": { N: "1" }, ":cap": { N: "1000000" } },
                  },
                },
                {
                  Put: {
                    TableName: TABLE,
                    Item: item(`EVENT#${ci}`, i),
                    ConditionExpression: "attribute_not_exists(PK)",
                  },
                },
                { Put: { TableName: TABLE, Item: item(`USER#${ci}-${i}`, i) } },
                { Put: { TableName: TABLE, Item: item(`AUDIT#${ci}`, i) } },
              ],
            }),
          );
        }
      }),
    );
    push(
      `TransactWriteItems (4 items), ${SIZES.clients} clients`,
      `${rate(SIZES.transactions, now() - t0)} tx`,
    );

    const total = (await ddb.send(new DescribeTableCommand({ TableName: TABLE }))).Table;
    t0 = now();
    const segments = 4;
    const counts = await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let n = 0;
        let start: Record<string, AttributeValue> | undefined;
        do {
          const page = await clients[segment]!.send(
            new ScanCommand({
              TableName: TABLE,
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey: start,
            }),
          );
          n += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        return n;
      }),
    );
    const scanned = counts.reduce((a, b) => a + b, 0);
    push(
      `Scan, ${segments} segments (${scanned.toLocaleString("en-US")} items)`,
      `${rate(scanned, now() - t0)} items`,
    );

    const streams = new DynamoDBStreamsClient(localClientConfig(endpoint));
    const arn = total!.LatestStreamArn!;
    const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!
      .Shards![0]!;
    let iterator = (
      await streams.send(
        new GetShardIteratorCommand({
          StreamArn: arn,
          ShardId: shard.ShardId!,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      )
    ).ShardIterator;
    t0 = now();
    let records = 0;
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      records += page.Records?.length ?? 0;
      if (!page.Records?.length) break;
      iterator = page.NextShardIterator;
    }
    push(
      `GetRecords, Limit 1000 (${records.toLocaleString("en-US")} records)`,
      `${rate(records, now() - t0)} records`,
    );
    streams.destroy();
  } finally {
    for (const c of clients) c.destroy();
    await stop(child);
  }
  return rows;
}

async function main() {
  const started = Date.now();
  // Other work on a shared machine skews every figure; the note records how busy it was.
  const loadBefore = loadavg()[0]!.toFixed(1);
  console.log("DynamoDB stand-in benchmark (SDK v3 clients in this process, stand-in in a child process)");
  const rows = await runMode("in memory");
  const dir = await mkdtemp(join(tmpdir(), "rally-bench-"));
  try {
    rows.push(...(await runMode("dataDir", dir)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const seconds = Math.round((Date.now() - started) / 1000);

  const cpuModel = cpus()[0]?.model.trim() ?? "unknown CPU";
  const machine = `${cpus().length} cores (${cpuModel}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}; 1-min load average ${loadBefore} before / ${loadavg()[0]!.toFixed(1)} after`;
  const metrics = [...new Set(rows.map((r) => r.metric.replace(/ \([\d,]+ (items|records)\)/, "")))];
  const cell = (mode: string, metric: string) =>
    rows.find((r) => r.mode === mode && r.metric.replace(/ \([\d,]+ (items|records)\)/, "") === metric)
      ?.value ?? "—";
  const table = [
    "| Operation | In memory | With dataDir |",
    "| --- | --- | --- |",
    ...metrics.map((m) => `| ${m} | ${cell("in memory", m)} | ${cell("dataDir", m)} |`),
  ].join("\n");
  const section = `\n## Local DynamoDB stand-in — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC\n\n${machine}. Stand-in in a child process, SDK v3 clients in the bench process; table with a NEW_AND_OLD_IMAGES stream. Run took ${seconds} s (\`npm run bench:local-dynamodb\`).\n\n${table}\n`;

  const file = join("docs", "benchmarks.md");
  const existing = await readFile(file, "utf8").catch(() => "");
  await appendFile(
    file,
    existing ? section : `# Benchmarks\n\nAppended by the \`bench:*\` scripts; newest last.\n${section}`,
  );
  console.log(`\n${table}\n\nAppended to ${file} (${seconds} s).`);
}

await main();
