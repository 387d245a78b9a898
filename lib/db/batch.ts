import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";

import { mapWithConcurrency } from "@/lib/campaigns/concurrency";
import { getDb, tableName } from "@/lib/db/client";
import { type Key } from "@/lib/db/keys";
import { backoffMs, withRetry } from "@/lib/db/retry";
import { UnavailableError } from "@/lib/errors";

// No "server-only": the campaign runner, the seed script and the benches write through these.

/** Rounds of unprocessed items/keys before giving up (each after a backoff). */
const MAX_UNPROCESSED_ROUNDS = 10;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

/**
 * BatchWriteItem in groups of 25, `concurrency` groups at a time, resending what DynamoDB leaves unprocessed.
 * @throws UnavailableError when items stay unprocessed (or every attempt was throttled).
 */
export async function batchWriteAll(requests: WriteRequest[], concurrency = 4): Promise<void> {
  const groups: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) groups.push(requests.slice(i, i + 25));
  await mapWithConcurrency(groups, concurrency, async (group) => {
    let pending = group;
    for (let round = 0; pending.length > 0; round++) {
      if (round > 0) await sleep(backoffMs(round));
      if (round >= MAX_UNPROCESSED_ROUNDS)
        throw new UnavailableError("DynamoDB kept returning unprocessed items; try again shortly.");
      const out = await withRetry(() =>
        getDb().send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending } })),
      );
      pending = (out.UnprocessedItems?.[tableName()] ?? []) as WriteRequest[];
    }
  });
}

/** Puts whole items (no conditions) through batchWriteAll. */
export function putAll(items: Record<string, unknown>[], concurrency?: number): Promise<void> {
  return batchWriteAll(
    items.map((Item) => ({ PutRequest: { Item } })),
    concurrency,
  );
}
