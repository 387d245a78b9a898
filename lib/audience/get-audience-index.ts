import "server-only";

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";

import { MemoryAudienceIndex } from "@/lib/audience/engine/memory-audience-index";
import type { AudienceIndex } from "@/lib/audience/port";
import { AudienceStreamConsumer } from "@/lib/audience/sync/stream-consumer";
import { getEnv, usesLocalAws } from "@/lib/env";
import { UnavailableError } from "@/lib/errors";

interface Running {
  key: string;
  index: MemoryAudienceIndex;
  consumer: AudienceStreamConsumer;
  ready: Promise<void>;
}

const globalForAudience = globalThis as unknown as { rallyAudience?: Running };

/**
 * The process-wide audience index, built from the table on first use and kept current by following its
 * stream. Concurrent first callers share one rebuild; a failed start is retried by the next caller.
 * @throws UnavailableError when the index cannot be built (table or stream unreachable) or the
 *   configured engine is not available in this build.
 */
export async function getAudienceIndex(): Promise<AudienceIndex> {
  const env = getEnv();
  if (env.AUDIENCE_ENGINE !== "embedded") {
    throw new UnavailableError("The OpenSearch audience engine is not part of this build (docs/scale.md).");
  }
  const key = `${env.DYNAMODB_ENDPOINT ?? "aws"}|${env.AWS_REGION}|${env.DYNAMODB_TABLE}`;
  let running = globalForAudience.rallyAudience;
  if (!running || running.key !== key) {
    // No await before the new entry is stored, so concurrent first callers share it.
    const previous = running;
    const config = {
      region: env.AWS_REGION,
      ...(usesLocalAws(env)
        ? { endpoint: env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
        : {}),
    };
    const index = new MemoryAudienceIndex();
    // Own clients with the SDK's default retries: a rebuild Scan should ride out a throttled page.
    const consumer = new AudienceStreamConsumer({
      index,
      db: new DynamoDBClient(config),
      streams: new DynamoDBStreamsClient(config),
      tableName: env.DYNAMODB_TABLE,
      onError: (error) => console.error("audience stream consumer:", error),
    });
    const ready = (previous ? previous.consumer.stop() : Promise.resolve())
      .then(() => consumer.start())
      .then(() => consumer.follow());
    running = { key, index, consumer, ready };
    globalForAudience.rallyAudience = running;
  }
  try {
    await running.ready;
  } catch (error) {
    if (globalForAudience.rallyAudience === running) globalForAudience.rallyAudience = undefined;
    throw new UnavailableError("The audience index is not available yet; please retry shortly.", error);
  }
  return running.index;
}

/** Stops following the stream (tests and graceful shutdown). */
export async function stopAudienceIndex(): Promise<void> {
  const running = globalForAudience.rallyAudience;
  globalForAudience.rallyAudience = undefined;
  await running?.consumer.stop();
}
