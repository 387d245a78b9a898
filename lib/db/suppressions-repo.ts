import { PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { SUPPRESSIONS_LIST_PK, normaliseEmail, suppressionKey, suppressionListKeys } from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import { isConditionFailure } from "@/lib/db/transact";

// No "server-only": the standalone campaign runner (tsx) reads the list.

/*
 * The suppression list: one item per address (`SUPPRESS#<email>`), also listed on GSI1 by the time it was
 * added. Senders hold the whole list in memory and top it up from the newest part of that index
 * (SuppressionList), so checking a batch of recipients costs one small Query instead of a read per address.
 */

/** Adds an address to the suppression list (idempotent; a repeat moves it to the newest end of the list). */
export async function addSuppression(email: string, reason: string): Promise<void> {
  const createdAt = new Date().toISOString();
  await withRetry(() =>
    getDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...suppressionKey(email),
          ...suppressionListKeys(createdAt, email),
          entity: "Suppression",
          email: normaliseEmail(email),
          reason,
          createdAt,
        },
      }),
    ),
  );
}

/**
 * How far back each top-up re-reads the index: GSI reads are eventually consistent and writers' clocks differ
 * a little, so an addition can show up in the index after newer ones were already seen.
 */
export const SUPPRESSION_OVERLAP_MS = 60_000;

/** The suppression list of one process, refreshed before each use from what was added since. */
export class SuppressionList {
  private readonly emails = new Set<string>();
  /** Newest `createdAt` seen; undefined until the first load. */
  private newest: string | undefined;
  private refreshing: Promise<void> | undefined;

  /** Reads what was added since the last refresh (all of it the first time); concurrent callers share one. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** True when the address (any case) is suppressed, as of the last refresh. */
  has(email: string): boolean {
    return this.emails.has(normaliseEmail(email));
  }

  get size(): number {
    return this.emails.size;
  }

  private async load(): Promise<void> {
    const from =
      this.newest === undefined
        ? undefined
        : new Date(Date.parse(this.newest) - SUPPRESSION_OVERLAP_MS).toISOString();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await withRetry(() =>
        getDb().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: "GSI1",
            KeyConditionExpression: from ? "GSI1PK = :pk AND GSI1SK >= :from" : "GSI1PK = :pk",
            ExpressionAttributeValues: { ":pk": SUPPRESSIONS_LIST_PK, ...(from ? { ":from": from } : {}) },
            ProjectionExpression: "email, createdAt",
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        this.emails.add(String(item.email));
        const at = String(item.createdAt);
        if (this.newest === undefined || at > this.newest) this.newest = at;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

/**
 * Lists suppressions written before GSI1 carried them (their senders would not see them). Cheap on a table
 * without such items; run once per table, `scripts/stack.ts` does on every local start.
 * @returns how many items were given their index entry.
 */
export async function backfillSuppressionIndex(): Promise<number> {
  let fixed = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await withRetry(() =>
      getDb().send(
        new ScanCommand({
          TableName: tableName(),
          FilterExpression: "entity = :e AND attribute_not_exists(GSI1PK)",
          ExpressionAttributeValues: { ":e": "Suppression" },
          ProjectionExpression: "PK, SK, email, createdAt",
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    for (const item of page.Items ?? []) {
      const email = String(item.email);
      const createdAt = typeof item.createdAt === "string" ? item.createdAt : new Date(0).toISOString();
      const keys = suppressionListKeys(createdAt, email);
      try {
        await withRetry(() =>
          getDb().send(
            new UpdateCommand({
              TableName: tableName(),
              Key: { PK: item.PK, SK: item.SK },
              UpdateExpression: "SET GSI1PK = :pk, GSI1SK = :sk",
              ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(GSI1PK)",
              ExpressionAttributeValues: { ":pk": keys.GSI1PK, ":sk": keys.GSI1SK },
            }),
          ),
        );
        fixed++;
      } catch (error) {
        // Re-added (with its index entry) while we were scanning: nothing left to do for it.
        if (!isConditionFailure(error)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return fixed;
}
