import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";

import { getDb, tableName } from "@/lib/db/client";
import { suppressionKey, suppressionListKeys } from "@/lib/db/keys";
import {
  SUPPRESSION_OVERLAP_MS,
  SuppressionList,
  addSuppression,
  backfillSuppressionIndex,
} from "@/lib/db/suppressions-repo";
import { setupIntegration } from "@/test/integration";

setupIntegration();

/** A suppression item as written at `createdAt`, optionally without its list entry (written before GSI1). */
function putSuppression(email: string, createdAt: string, listed = true) {
  return getDb().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...suppressionKey(email),
        ...(listed ? suppressionListKeys(createdAt, email) : {}),
        entity: "Suppression",
        email: email.toLowerCase(),
        reason: "test",
        createdAt,
      },
    }),
  );
}

describe("SuppressionList", () => {
  it("loads the list, then tops it up with what was added since, in any case", async () => {
    await addSuppression("First@Example.com", "unsubscribed");
    const list = new SuppressionList();
    await list.refresh();
    expect(list.has("first@example.com")).toBe(true);
    expect(list.has("FIRST@EXAMPLE.COM")).toBe(true);
    expect(list.has("second@example.com")).toBe(false);

    await addSuppression("second@example.com", "bounce");
    expect(list.has("second@example.com")).toBe(false);
    await list.refresh();
    expect(list.has("second@example.com")).toBe(true);
  });

  it("still sees an addition that reaches the index after newer ones, within the overlap", async () => {
    const list = new SuppressionList();
    const now = Date.now();
    await putSuppression("newer@example.com", new Date(now).toISOString());
    await list.refresh();
    // A writer whose clock is behind, or an index entry that arrived late: older than the newest seen.
    await putSuppression("late@example.com", new Date(now - SUPPRESSION_OVERLAP_MS / 2).toISOString());
    await list.refresh();
    expect(list.has("late@example.com")).toBe(true);
  });

  it("shares one load between concurrent refreshes", async () => {
    const list = new SuppressionList();
    const [a, b] = [list.refresh(), list.refresh()];
    expect(a).toBe(b);
    await a;
    expect(list.size).toBeGreaterThan(0);
  });
});

describe("backfillSuppressionIndex", () => {
  it("lists suppressions written before GSI1 carried them, once", async () => {
    await putSuppression("legacy@example.com", "2026-01-01T00:00:00.000Z", false);
    const before = new SuppressionList();
    await before.refresh();
    expect(before.has("legacy@example.com")).toBe(false);

    expect(await backfillSuppressionIndex()).toBe(1);
    expect(await backfillSuppressionIndex()).toBe(0);
    const after = new SuppressionList();
    await after.refresh();
    expect(after.has("legacy@example.com")).toBe(true);
  });
});
