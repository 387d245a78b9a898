import { SESv2Client } from "@aws-sdk/client-sesv2";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLocalStep } from "@/inngest/local-runner";
import { campaignDeliveryAnalytics } from "@/lib/campaigns/analytics-sink";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { relayOutbox } from "@/lib/campaigns/outbox-relay";
import { type SendRequestedData } from "@/lib/campaigns/schemas";
import {
  createCampaignRecord,
  freezeRecipients,
  getCampaign,
  listPendingOutbox,
  startCampaignSend,
} from "@/lib/db/campaigns-repo";
import { addSuppression } from "@/lib/db/suppressions-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { FailingMailer, faults } from "@/lib/email/failing-mailer";
import { type Mailer } from "@/lib/email/mailer";
import { SesMailer } from "@/lib/email/ses-mailer";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { setupIntegration } from "@/test/integration";
import { localClientConfig } from "@/dev/local-aws";

const fx = setupIntegration();
let mailer: SesMailer;
let ses: ReturnType<typeof sesStoreReader>;
let seq = 0;

beforeAll(async () => {
  ses = sesStoreReader(fx.aws.sesEndpoint);
  const client = new SESv2Client({ ...localClientConfig(fx.aws.sesEndpoint), maxAttempts: 1 });
  mailer = await SesMailer.create({ client, maxSendRate: "unlimited", from: "events@rally.test" });
});
beforeEach(() => ses.clear());

async function draft(n: number) {
  const id = `camp-${++seq}`;
  await createCampaignRecord({
    id,
    name: "Launch",
    subject: "Hi {{firstName|there}}",
    body: "Agenda: https://events.test/agenda",
    utm: { source: "rally", medium: "email", campaign: "launch" },
    createdAt: new Date().toISOString(),
  });
  await freezeRecipients(
    id,
    Array.from({ length: n }, (_, i) => ({
      recipientId: `u${String(i).padStart(5, "0")}`,
      email: `c${seq}-p${i}@example.com`,
      firstName: `P${i}`,
    })),
  );
  return id;
}

function run(store: DynamoRecipientStore, m: Mailer, campaignId: string, outboxId = "ob") {
  return fanOutCampaign(
    { event: { data: { campaignId, outboxId } }, step: createLocalStep(async () => undefined) },
    { store, mailer: m, config: { leaseMs: 300, throttleBackoffBaseMs: 5 }, appUrl: "https://rally.test" },
  );
}

describe("DynamoRecipientStore", () => {
  it("claims each recipient for exactly one of many racing workers", async () => {
    const id = await draft(50);
    const store = new DynamoRecipientStore();
    await store.setCampaignStatus(id, "sending");
    const ids = Array.from({ length: 50 }, (_, i) => `u${String(i).padStart(5, "0")}`);
    const wins = await Promise.all(Array.from({ length: 6 }, () => store.claim(id, ids, 60_000, Date.now())));
    expect(wins.flat().sort()).toEqual(ids);
    expect(await store.progress(id)).toMatchObject({ sending: 50, pending: 0 });
    expect((await store.listRecipients(id, { status: "pending", limit: 50 })).items).toEqual([]);

    await store.release(id, ids.slice(0, 10), Date.now());
    const page = await store.listRecipients(id, { status: "pending", limit: 4 });
    expect(page.items.map((r) => r.recipientId)).toEqual(ids.slice(0, 4));
    const next = await store.listRecipients(id, { status: "pending", limit: 100, cursor: page.cursor });
    expect(next.items.map((r) => r.recipientId)).toEqual(ids.slice(4, 10));
    expect(next.cursor).toBeUndefined();

    expect(await store.markSent(id, "u00011", "m-1", Date.now())).toBe(true);
    expect(await store.markSent(id, "u00011", "m-2", Date.now())).toBe(false);
    expect(await store.markUnknown(id, "u00000", "x", Date.now())).toBe(false); // pending, not sending
    const expired = await store.expireLeases(id, Date.now() + 61_000);
    expect(expired).toHaveLength(39);
    expect(await store.markSent(id, expired[0]!, "late", Date.now())).toBe(true); // a late answer upgrades unknown
    expect(await store.progress(id)).toMatchObject({ pending: 10, sent: 2, unknown: 38 });

    // settle: a stale outcome (already sent) changes nothing; the rest of the batch applies.
    await store.claim(id, ["u00000", "u00001"], 60_000, Date.now());
    await store.settle(
      id,
      [
        { recipientId: "u00000", status: "sent", providerMessageId: "m-0" },
        { recipientId: "u00011", status: "sent", providerMessageId: "m-again" },
        { recipientId: "u00001", status: "pending" },
      ],
      Date.now(),
    );
    const rows = (await store.listRecipients(id, { limit: 12 })).items;
    expect(rows.find((r) => r.recipientId === "u00000")).toMatchObject({
      status: "sent",
      providerMessageId: "m-0",
    });
    expect(rows.find((r) => r.recipientId === "u00011")).toMatchObject({ providerMessageId: "m-1" });
    expect(rows.find((r) => r.recipientId === "u00001")).toMatchObject({ status: "pending", attempts: 2 });
  });

  it("a claim from a stale listing never wins a recipient that was sent meanwhile", async () => {
    const id = await draft(2);
    await new DynamoRecipientStore().setCampaignStatus(id, "sending");
    const [a, b] = ["u00000", "u00001"];
    const stale = new DynamoRecipientStore();
    expect((await stale.listRecipients(id, { status: "pending", limit: 10 })).items).toHaveLength(2);

    // Another worker claims both; a is sent, b goes back to pending (one attempt spent).
    const other = new DynamoRecipientStore();
    expect(await other.claim(id, [a, b], 60_000, Date.now())).toEqual([a, b]);
    await other.settle(
      id,
      [
        { recipientId: a, status: "sent", providerMessageId: "m-a" },
        { recipientId: b, status: "pending" },
      ],
      Date.now(),
    );

    // The listing saw both pending: the stale write fails on the chunk version, the re-read shows a sent and
    // b pending again, so only b is won.
    expect(await stale.claim(id, [a, b], 60_000, Date.now())).toEqual([b]);
    expect(await stale.progress(id)).toMatchObject({ sent: 1, pending: 0, sending: 1 });
    expect((await stale.listRecipients(id, { status: "pending", limit: 10 })).items).toEqual([]);
    const rows = (await stale.listRecipients(id, { limit: 10 })).items;
    expect(rows.find((r) => r.recipientId === a)).toMatchObject({ status: "sent", providerMessageId: "m-a" });
    expect(rows.find((r) => r.recipientId === b)).toMatchObject({
      status: "sending",
      attempts: 2,
      email: expect.stringMatching(/@example\.com$/),
      firstName: "P1",
    });
  });

  it("runs a campaign end to end: suppressed addresses get nothing, everyone else exactly one email", async () => {
    const id = await draft(130);
    await addSuppression(`C${seq}-P3@Example.com`, "unsubscribed");
    await startCampaignSend(id, `ob-${id}`);
    const store = new DynamoRecipientStore({ analytics: campaignDeliveryAnalytics });
    const throttling = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 2, "throttle"),
    );

    expect((await run(store, throttling, id)).outcome).toBe("completed");

    const sent = (await ses.emails()).map((e) => e.destination.to[0]);
    expect(sent).toHaveLength(129);
    expect(new Set(sent).size).toBe(129);
    expect(sent).not.toContain(`c${seq}-p3@example.com`);
    expect(await store.progress(id)).toMatchObject({ sent: 129, suppressed: 1, pending: 0, sending: 0 });
    expect((await getCampaign(id))?.status).toBe("completed");
  });

  it("only draft or paused campaigns start; the relay dispatches each outbox row once", async () => {
    const id = await draft(1);
    await startCampaignSend(id, `ob-a-${id}`);
    await expect(startCampaignSend(id, `ob-b-${id}`)).rejects.toBeInstanceOf(ConflictError);
    await expect(startCampaignSend("missing", "ob-x")).rejects.toBeInstanceOf(NotFoundError);
    await expect(freezeRecipients(id, [])).rejects.toBeInstanceOf(ConflictError);

    const dispatched: SendRequestedData[] = [];
    const dispatch = async (d: SendRequestedData) => void dispatched.push(d);
    expect(await relayOutbox(dispatch)).toBeGreaterThanOrEqual(1);
    expect(dispatched).toContainEqual({ campaignId: id, outboxId: `ob-a-${id}` });
    expect(await relayOutbox(dispatch)).toBe(0);
    expect((await listPendingOutbox()).map((r) => r.id)).not.toContain(`ob-a-${id}`);

    // A failing dispatch leaves the row pending for the next sweep.
    const id2 = await draft(1);
    await startCampaignSend(id2, `ob-${id2}`);
    await expect(
      relayOutbox(async () => {
        throw new Error("Inngest unreachable");
      }),
    ).rejects.toThrow("unreachable");
    expect((await listPendingOutbox()).map((r) => r.id)).toContain(`ob-${id2}`);
  });
});
