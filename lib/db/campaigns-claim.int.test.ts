import { describe, expect, it } from "vitest";

import { DynamoRecipientStore, getCampaignRecipient } from "@/lib/db/campaign-recipients-repo";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";
import { campaignDeliveryAnalytics } from "@/lib/campaigns/analytics-sink";
import { readRollupFeed, toRollupRow } from "@/lib/db/analytics-repo";
import { getRawDb } from "@/lib/db/client";
import { setupIntegration } from "@/test/integration";

/*
 * Claims whose write applied but whose answer was lost (the retry then fails on our own write) must still
 * count as ours, or the batch strands in `sending` and later expires `unknown` without being sent.
 */

setupIntegration();

/**
 * Makes every recipient chunk put apply and then answer "condition failed", as a lost answer retried would.
 * Returns a function that removes the fault and says how many answers it took.
 */
function loseChunkPutAnswers(): () => number {
  const db = getRawDb();
  const name = "test-lose-chunk-put-answers";
  let lost = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      // Chunk writes go out marshalled: { SK: { S: "RCHUNK#…" } }.
      const item = (args.input as { Item?: { SK?: { S?: string } } }).Item;
      if (item?.SK?.S?.startsWith("RCHUNK#")) {
        lost++;
        throw Object.assign(new Error("The conditional request failed"), {
          name: "ConditionalCheckFailedException",
        });
      }
      return out;
    },
    { step: "initialize", name },
  );
  return () => {
    db.middlewareStack.remove(name);
    return lost;
  };
}

describe("DynamoRecipientStore claims", () => {
  it("recovers a claim that applied but reported failure, and never one another worker holds", async () => {
    await createCampaignRecord({
      id: "claim-1",
      name: "Claims",
      subject: "S",
      body: "B",
      utm: { source: "rally", medium: "email", campaign: "claims" },
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients(
      "claim-1",
      ["a", "b", "c", "d"].map((id) => ({ recipientId: id, email: `${id}@example.com` })),
    );
    const other = new DynamoRecipientStore();
    expect(await other.claim("claim-1", ["d"], 60_000, Date.now())).toEqual(["d"]);

    const store = new DynamoRecipientStore();
    const restore = loseChunkPutAnswers();
    let won: string[];
    try {
      won = await store.claim("claim-1", ["a", "b", "c", "d"], 60_000, Date.now());
    } finally {
      expect(restore()).toBeGreaterThan(0);
    }
    expect(won.sort()).toEqual(["a", "b", "c"]);
    expect((await getCampaignRecipient("claim-1", "a"))?.status).toBe("sending");

    // A settle whose answer is lost the same way is recognised on the re-read too: applied once.
    const restoreAgain = loseChunkPutAnswers();
    try {
      await store.settle(
        "claim-1",
        won.map((id) => ({ recipientId: id, status: "sent" as const, providerMessageId: `m-${id}` })),
        Date.now(),
      );
    } finally {
      expect(restoreAgain()).toBeGreaterThan(0);
    }
    expect(await store.progress("claim-1")).toMatchObject({ sent: 3, sending: 1, pending: 0 });
    expect(await getCampaignRecipient("claim-1", "b")).toMatchObject({
      providerMessageId: "m-b",
      attempts: 1,
    });
  });

  it("settles listed-then-claimed recipients keeping their frozen fields", async () => {
    await createCampaignRecord({
      id: "claim-2",
      name: "Puts",
      subject: "S",
      body: "B",
      utm: { source: "rally", medium: "email", campaign: "puts" },
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients("claim-2", [
      { recipientId: "x", email: "x@example.com", firstName: "Xa", city: "Oslo" },
    ]);
    const store = new DynamoRecipientStore();
    const page = await store.listRecipients("claim-2", { status: "pending", limit: 10 });
    expect(page.items.map((r) => r.recipientId)).toEqual(["x"]);
    const now = Date.now();
    expect(await store.claim("claim-2", ["x"], 60_000, now)).toEqual(["x"]);
    await store.settle("claim-2", [{ recipientId: "x", status: "failed", reason: "MESSAGE_REJECTED" }], now);
    expect(await getCampaignRecipient("claim-2", "x")).toMatchObject({
      status: "failed",
      reason: "MESSAGE_REJECTED",
      attempts: 1,
      email: "x@example.com",
      firstName: "Xa",
      city: "Oslo",
    });
    expect(await store.listRecipients("claim-2", { status: "pending", limit: 10 })).toEqual({ items: [] });
  });

  it("writes a batch's outcomes, the next batch's exclusions and its claim in one transaction", async () => {
    await createCampaignRecord({
      id: "claim-3",
      name: "Batches",
      subject: "S",
      body: "B",
      utm: { source: "rally", medium: "email", campaign: "batches" },
      createdAt: new Date().toISOString(),
    });
    // 60 recipients: two chunks (50 + 10).
    const ids = Array.from({ length: 60 }, (_, i) => `r${String(i).padStart(2, "0")}`);
    await freezeRecipients(
      "claim-3",
      ids.map((id) => ({ recipientId: id, email: `${id}@example.com` })),
    );
    const store = new DynamoRecipientStore({ analytics: campaignDeliveryAnalytics });
    await store.listRecipients("claim-3", { status: "pending", limit: 60 });
    const first = ids.slice(0, 50);
    const now = Date.now();
    expect((await store.claimBatch("claim-3", { claim: first }, 60_000, now)).claimed).toEqual(first);

    const writes: string[] = [];
    const db = getRawDb();
    db.middlewareStack.add(
      (next, context) => async (args) => {
        writes.push(context.commandName ?? "?");
        return next(args);
      },
      { step: "initialize", name: "test-count-writes" },
    );
    let out;
    try {
      out = await store.claimBatch(
        "claim-3",
        {
          settle: first.map((id) => ({
            recipientId: id,
            status: "sent" as const,
            providerMessageId: `m-${id}`,
          })),
          exclude: [
            { recipientId: "r50", status: "suppressed" },
            { recipientId: "r51", status: "skipped", reason: "invalid email address" },
          ],
          claim: ids.slice(52),
        },
        60_000,
        now,
      );
    } finally {
      db.middlewareStack.remove("test-count-writes");
    }
    expect(writes).toEqual(["TransactWriteItemsCommand"]);
    expect(out).toEqual({ claimed: ids.slice(52), excluded: ["r50", "r51"] });
    expect(await store.progress("claim-3")).toMatchObject({
      sent: 50,
      suppressed: 1,
      skipped: 1,
      sending: 8,
      pending: 0,
    });
    const { items } = await readRollupFeed("");
    const rows = items.filter((i) => i.campaignId === "claim-3");
    expect(rows).toHaveLength(1);
    // queued (first claims: 50 + 8) and sent, counted in the same writes.
    expect([...toRollupRow(rows[0]!).totals.slice(0, 2)]).toEqual([58, 50]);
  });
});
