import { describe, expect, it } from "vitest";

import {
  createCampaignRecord,
  DynamoRecipientStore,
  freezeRecipients,
  getCampaignRecipient,
} from "@/lib/db/campaigns-repo";
import { setupIntegration } from "@/test/integration";

/*
 * Claims whose transaction applied but whose answer was lost (the retry then fails on our own writes) must
 * still count as ours, or the batch strands in `sending` and later expires `unknown` without being sent.
 */

setupIntegration();

type ApplyAll = (inputs: unknown[]) => Promise<boolean[]>;

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
    const internals = store as unknown as { applyAll: ApplyAll };
    const real = internals.applyAll.bind(store);
    // The writes happen, the answer says every condition failed.
    internals.applyAll = async (inputs) => {
      await real(inputs);
      return inputs.map(() => false);
    };
    const won = await store.claim("claim-1", ["a", "b", "c", "d"], 60_000, Date.now());
    expect(won.sort()).toEqual(["a", "b", "c"]);
    expect((await getCampaignRecipient("claim-1", "a"))?.status).toBe("sending");

    // Settling the recovered claims with puts from the listed items needs them listed first; without, the
    // conditional path applies.
    internals.applyAll = real;
    await store.settle(
      "claim-1",
      won.map((id) => ({ recipientId: id, status: "sent" as const, providerMessageId: `m-${id}` })),
      Date.now(),
    );
    expect(await store.progress("claim-1")).toMatchObject({ sent: 3, sending: 1, pending: 0 });
  });

  it("settles listed-then-claimed recipients with puts that keep their frozen fields", async () => {
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
