import { describe, expect, it } from "vitest";

import { DynamoRecipientStore, getCampaignRecipient } from "@/lib/db/campaign-recipients-repo";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";
import { getDb } from "@/lib/db/client";
import { setupIntegration } from "@/test/integration";

/*
 * Claims whose write applied but whose answer was lost (the retry then fails on our own write) must still
 * count as ours, or the batch strands in `sending` and later expires `unknown` without being sent.
 */

setupIntegration();

/** Makes every recipient chunk put apply and then answer "condition failed", as a lost answer retried would. */
function loseChunkPutAnswers(): () => void {
  const db = getDb();
  const name = "test-lose-chunk-put-answers";
  db.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const item = (args.input as { Item?: { SK?: unknown } }).Item;
      if (String(item?.SK ?? "").startsWith("RCHUNK#"))
        throw Object.assign(new Error("The conditional request failed"), {
          name: "ConditionalCheckFailedException",
        });
      return out;
    },
    { step: "initialize", name },
  );
  return () => db.middlewareStack.remove(name);
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
      restore();
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
      restoreAgain();
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
});
