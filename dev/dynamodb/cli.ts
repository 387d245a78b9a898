/**
 * Runs the DynamoDB stand-in on its own: `tsx dev/dynamodb/cli.ts [--port 0] [--data-dir DIR] [--ttl-sweep-ms N]`.
 * Prints one JSON line `{"endpoint": "..."}` once listening, and closes cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";

import { startDynamoStandIn } from "@/dev/dynamodb/server";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: process.env.DYNAMODB_PORT ?? "0" },
    "data-dir": { type: "string" },
    "ttl-sweep-ms": { type: "string", default: "1000" },
  },
});

try {
  const standIn = await startDynamoStandIn({
    host: values.host,
    port: Number(values.port),
    dataDir: values["data-dir"],
    ttlSweepMs: Number(values["ttl-sweep-ms"]),
  });
  console.log(JSON.stringify({ endpoint: standIn.endpoint }));
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
