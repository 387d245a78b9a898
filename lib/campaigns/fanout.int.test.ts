import { SESv2Client } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createLocalStep, LocalRunner } from "@/inngest/local-runner";
import { fanOutCampaign, type FanoutConfig, type FanoutDeps } from "@/lib/campaigns/fanout";
import { resolveClick, resolveUnsubscribe } from "@/lib/campaigns/links";
import { MemoryRecipientStore } from "@/lib/campaigns/memory-recipient-store";
import { TERMINAL_STATUSES } from "@/lib/campaigns/schemas";
import { FailingMailer, faults, type FaultRule } from "@/lib/email/failing-mailer";
import { NothingSentError, type Mailer } from "@/lib/email/mailer";
import { SesMailer } from "@/lib/email/ses-mailer";
import { startSesEmulator, type SesEmulator } from "@/lib/email/test-ses-emulator";
import { localClientConfig } from "@/dev/local-aws";

const SECRET = "fanout-secret-fanout-secret-fanout-secret";
const APP = "https://rally.test";
let ses: SesEmulator;
let client: SESv2Client;
let mailer: SesMailer;

beforeAll(async () => {
  ses = await startSesEmulator();
  client = new SESv2Client({ ...localClientConfig(ses.endpoint), maxAttempts: 1 });
  mailer = await SesMailer.create({ client, maxSendRate: "unlimited", from: "Rally <events@rally.test>" });
});
afterAll(async () => {
  client.destroy();
  await ses.close();
});
beforeEach(() => ses.clear());

const FAST: Partial<FanoutConfig> = { throttleBackoffBaseMs: 5, throttleBackoffCapMs: 20, leaseMs: 200 };

function seed(n: number, campaignId = "camp-1"): MemoryRecipientStore {
  const store = new MemoryRecipientStore();
  store.addCampaign(
    {
      id: campaignId,
      name: "Launch",
      subject: "Hi {{firstName|there}}, {{event.title}} is coming",
      body: "Hello {{firstName|there}},\n\nAgenda: https://events.test/agenda?x=1\n\n[Register]({{event.url}})",
      utm: { source: "rally", medium: "email", campaign: "launch" },
      event: { title: "DevDay", startAt: "2026-06-01T09:00:00Z", url: "https://events.test/devday" },
    },
    Array.from({ length: n }, (_, i) => ({
      recipientId: `u${String(i).padStart(4, "0")}`,
      email: `person${i}@example.com`,
      firstName: i % 2 ? `Name${i}` : undefined,
    })),
  );
  return store;
}

function deps(
  store: MemoryRecipientStore,
  m: Mailer = mailer,
  config: Partial<FanoutConfig> = {},
): FanoutDeps {
  return { store, mailer: m, config: { ...FAST, ...config }, appUrl: APP, secret: SECRET };
}

function run(d: FanoutDeps, outboxId = "ob-1", campaignId = "camp-1") {
  const step = createLocalStep(async () => undefined);
  return fanOutCampaign({ event: { data: { campaignId, outboxId } }, step }, d);
}

async function addressesSent(): Promise<string[]> {
  return (await ses.emails()).map((e) => e.destination.to[0]!);
}

function expectNoDuplicates(list: string[]) {
  expect(new Set(list).size).toBe(list.length);
}

async function expectAllTerminal(store: MemoryRecipientStore, campaignId = "camp-1") {
  const p = await store.progress(campaignId);
  const terminal = TERMINAL_STATUSES.reduce((sum, s) => sum + p[s], 0);
  expect(terminal).toBe(store.recipients.get(campaignId)!.size);
  return p;
}

describe("campaign fan-out (in-memory store, SES emulator)", () => {
  it("sends each recipient once with tracked links and unsubscribe headers, skipping suppressed and invalid", async () => {
    const store = seed(120);
    store.suppress("PERSON7@example.com");
    store.recipients.get("camp-1")!.get("u0011")!.email = "not an address";

    const summary = await run(deps(store));

    expect(summary.outcome).toBe("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(118);
    expectNoDuplicates(sent);
    expect(sent).not.toContain("person7@example.com");
    expect(await store.progress("camp-1")).toMatchObject({
      sent: 118,
      suppressed: 1,
      skipped: 1,
      pending: 0,
    });
    expect(store.campaigns.get("camp-1")!.status).toBe("completed");

    const email = (await ses.emails()).find((e) => e.destination.to[0] === "person1@example.com")!;
    expect(email.subject).toBe("Hi Name1, DevDay is coming");
    const unsub = email.headers!.find((h) => h.name === "List-Unsubscribe")!.value;
    expect(resolveUnsubscribe(unsub.slice(`<${APP}/u/`.length, -1), SECRET)).toMatchObject({
      recipientId: "u0001",
    });
    expect(email.headers).toContainEqual({
      name: "List-Unsubscribe-Post",
      value: "List-Unsubscribe=One-Click",
    });
    const tokens = [...email.body.html!.matchAll(/\/r\/([\w-]+\.[\w-]+)/g)].map((m) => m[1]!);
    expect(tokens.map((t) => resolveClick(t, SECRET)?.location)).toEqual([
      "https://events.test/agenda?x=1&utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-1",
      "https://events.test/devday?utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-2",
    ]);

    const types = store.events.map((e) => e.type);
    expect(types.filter((t) => t === "queued")).toHaveLength(118);
    expect(types.filter((t) => t === "sent")).toHaveLength(118);
    expect(types).toContain("suppressed");
    expect(types).toContain("skipped");
    expect(types.at(-1)).toBe("campaign_completed");
  });

  it("a call refused once on b: the rerun sends a, b and c exactly once", async () => {
    const store = seed(3);
    const failing = new FailingMailer(
      mailer,
      faults.once((m) => m.to === "person1@example.com", "reject-call"),
    );
    const d = deps(store, failing, { batchSize: 1 });

    await expect(run(d)).rejects.toBeInstanceOf(NothingSentError);
    expect(await addressesSent()).toEqual(["person0@example.com"]);
    expect((await store.progress("camp-1")).pending).toBe(2);

    expect((await run(d)).outcome).toBe("completed");
    expect((await addressesSent()).sort()).toEqual([
      "person0@example.com",
      "person1@example.com",
      "person2@example.com",
    ]);
    expect(await store.progress("camp-1")).toMatchObject({ sent: 3 });
  });

  it("throttled messages go back to pending and are all sent eventually, none dropped", async () => {
    const store = seed(200);
    const failing = new FailingMailer(
      mailer,
      faults.any(
        faults.onCalls((c) => c === 2 || c === 3 || c === 6, "throttle"),
        (m, { call }) => (call % 2 === 0 && m.to.endsWith("3@example.com") ? "throttle" : undefined),
      ),
    );

    expect((await run(deps(store, failing))).outcome).toBe("completed");

    const sent = await addressesSent();
    expect(sent).toHaveLength(200);
    expectNoDuplicates(sent);
    expect(failing.injected.some((f) => f.fault === "throttle")).toBe(true);
    expect(store.events.filter((e) => e.type === "throttled").length).toBeGreaterThan(50);
    expect(await store.progress("camp-1")).toMatchObject({ sent: 200, pending: 0, sending: 0 });
  });

  it("sends nothing to suppressed addresses", async () => {
    const store = seed(60);
    for (let i = 0; i < 60; i++) store.suppress(`person${i}@example.com`);
    expect((await run(deps(store))).outcome).toBe("completed");
    expect(await addressesSent()).toEqual([]);
    expect(await store.progress("camp-1")).toMatchObject({ suppressed: 60 });
  });

  it("the same event delivered twice, concurrently, still sends one email per recipient", async () => {
    const store = seed(300);
    const d = deps(store);
    const [a, b] = await Promise.all([run(d), run(d)]);
    expect([a.outcome, b.outcome].sort()).toEqual(["completed", "stopped"]);
    const sent = await addressesSent();
    expect(sent).toHaveLength(300);
    expectNoDuplicates(sent);
  });

  it("parallel batches: two concurrent runs with 4 batches in flight each still send one email per recipient", async () => {
    const store = seed(430);
    const d = deps(store, mailer, { parallelBatches: 4 });
    const [a, b] = await Promise.all([run(d), run(d)]);
    expect([a.outcome, b.outcome]).toContain("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(430);
    expectNoDuplicates(sent);
    expect(await expectAllTerminal(store)).toMatchObject({ sent: 430, unknown: 0 });
  });

  it("parallel batches: a crash in one batch leaves at most parallelBatches × batchSize unknown", async () => {
    const store = seed(400);
    const crashing = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 5, "crash-after-send"),
    );
    const d = deps(store, crashing, { leaseMs: 150, parallelBatches: 4 });
    await expect(run(d)).rejects.toThrow(/Injected crash/);
    expect((await run(d)).outcome).toBe("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(400);
    expectNoDuplicates(sent);
    const p = await expectAllTerminal(store);
    expect(p.unknown).toBeGreaterThan(0);
    expect(p.unknown).toBeLessThanOrEqual(4 * 50);
    expect(p.sent + p.unknown).toBe(400);
  });

  it("batches per step: one step works through 16 batches, never more than parallelBatches in flight", async () => {
    const store = seed(800);
    let inFlight = 0;
    let peak = 0;
    let calls = 0;
    const counting: Mailer = {
      async send(batch) {
        inFlight++;
        calls++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await mailer.send(batch);
        } finally {
          inFlight--;
        }
      },
    };
    const summary = await run(deps(store, counting, { parallelBatches: 3, batchesPerStep: 16 }));
    // One step sent everything; the second found nothing pending and completed the campaign.
    expect(summary).toMatchObject({ outcome: "completed", batches: 2 });
    expect(calls).toBe(16);
    expect(peak).toBe(3);
    const sent = await addressesSent();
    expect(sent).toHaveLength(800);
    expectNoDuplicates(sent);
  });

  it("batches per step: a crash stops the step from starting more batches; unknown stays within parallelBatches × 50", async () => {
    const store = seed(800);
    const crashing = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 3, "crash-after-send"),
    );
    const d = deps(store, crashing, { leaseMs: 150, parallelBatches: 2, batchesPerStep: 16 });
    await expect(run(d)).rejects.toThrow(/Injected crash/);
    const mid = await store.progress("camp-1");
    expect(mid.sending).toBeLessThanOrEqual(2 * 50);
    expect(mid.pending).toBeGreaterThan(800 - 5 * 50);
    expect((await run(d)).outcome).toBe("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(800);
    expectNoDuplicates(sent);
    const p = await expectAllTerminal(store);
    expect(p.unknown).toBeLessThanOrEqual(2 * 50);
    expect(p.sent + p.unknown).toBe(800);
  });

  it("batches per claim: a worker claims and settles K batches per write; in flight stays parallelBatches × K", async () => {
    const store = seed(800);
    let inFlight = 0;
    let peak = 0;
    const counting: Mailer = {
      async send(batch) {
        peak = Math.max(peak, ++inFlight);
        try {
          await new Promise((r) => setTimeout(r, 5));
          return await mailer.send(batch);
        } finally {
          inFlight--;
        }
      },
    };
    const writes = { claimBatch: 0, settle: 0 };
    const claimBatch = store.claimBatch.bind(store);
    const settle = store.settle.bind(store);
    store.claimBatch = (...args) => (writes.claimBatch++, claimBatch(...args));
    store.settle = (...args) => (writes.settle++, settle(...args));
    const summary = await run(
      deps(store, counting, { parallelBatches: 2, batchesPerClaim: 2, batchesPerStep: 16 }),
    );
    expect(summary).toMatchObject({ outcome: "completed", batches: 2 });
    expect(peak).toBe(4);
    // 16 batches: 8 claims of two (each carrying the previous two's outcomes), one final settle per worker.
    expect(writes).toEqual({ claimBatch: 8, settle: 2 });
    const sent = await addressesSent();
    expect(sent).toHaveLength(800);
    expectNoDuplicates(sent);
  });

  it("batches per claim: a crash leaves at most parallelBatches × batchesPerClaim × 50 unknown", async () => {
    const store = seed(800);
    const crashing = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 5, "crash-after-send"),
    );
    const d = deps(store, crashing, {
      leaseMs: 150,
      parallelBatches: 2,
      batchesPerClaim: 2,
      batchesPerStep: 16,
    });
    await expect(run(d)).rejects.toThrow(/Injected crash/);
    expect((await run(d)).outcome).toBe("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(800);
    expectNoDuplicates(sent);
    const p = await expectAllTerminal(store);
    expect(p.unknown).toBeGreaterThan(0);
    expect(p.unknown).toBeLessThanOrEqual(2 * 2 * 50);
    expect(p.sent + p.unknown).toBe(800);
  });

  it("content that fails to render sends nothing and leaves the claimed recipients pending, not unknown", async () => {
    const store = seed(60);
    // Saved content is checked at save time; this stands for a body stored some other way.
    store.campaigns.get("camp-1")!.body = "Hello {{favouriteColour}}";
    await expect(run(deps(store))).rejects.toThrow(/template is invalid/);
    expect(await addressesSent()).toEqual([]);
    expect(await store.progress("camp-1")).toMatchObject({ pending: 60, sending: 0, unknown: 0 });
  });

  it("a crash between send and mark leaves at most one batch unknown and never resends it", async () => {
    const store = seed(200);
    const crashing = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 3, "crash-after-send"),
    );
    const d = deps(store, crashing, { leaseMs: 150 });

    await expect(run(d)).rejects.toThrow(/Injected crash/);
    expect((await store.progress("camp-1")).sending).toBe(50);

    expect((await run(d)).outcome).toBe("completed");
    const sent = await addressesSent();
    expect(sent).toHaveLength(200);
    expectNoDuplicates(sent);
    const p = await expectAllTerminal(store);
    expect(p).toMatchObject({ sent: 150, unknown: 50 });
  });

  it("an ambiguous answer becomes unknown and is not retried; transient failures are retried", async () => {
    const store = seed(10);
    const rule: FaultRule = faults.any(
      faults.always((m) => m.to === "person2@example.com", "unknown-after-send"),
      faults.once((m) => m.to === "person5@example.com", "fail-transient"),
      faults.always((m) => m.to === "person8@example.com", "fail-permanent"),
    );
    expect((await run(deps(store, new FailingMailer(mailer, rule)))).outcome).toBe("completed");
    const sent = await addressesSent();
    expectNoDuplicates(sent);
    expect(sent).toHaveLength(9);
    expect(sent).toContain("person2@example.com");
    expect(sent).toContain("person5@example.com");
    expect(await store.progress("camp-1")).toMatchObject({ sent: 8, unknown: 1, failed: 1 });
    expect(store.recipients.get("camp-1")!.get("u0005")!.attempts).toBe(2);
  });

  it("pauses the campaign when the failure rate passes the threshold", async () => {
    const store = seed(200);
    const failing = new FailingMailer(
      mailer,
      faults.always((m) => Number(/\d+/.exec(m.to)![0]) % 3 === 0, "fail-permanent"),
    );
    const summary = await run(deps(store, failing, { minAttemptsForBreaker: 50, failureRateThreshold: 0.2 }));
    expect(summary).toMatchObject({ outcome: "stopped", reason: "paused-failures" });
    expect(store.campaigns.get("camp-1")!.status).toBe("paused");
    const p = await store.progress("camp-1");
    expect(p.sent + p.failed).toBe(50);
    expect(p.pending).toBe(150);
    expect(store.events.some((e) => e.type === "campaign_paused")).toBe(true);
    // Paused means no further sends, even if the event arrives again.
    expect((await run(deps(store), "ob-2")).reason).toBe("not-sending");
  });

  it("hands over to a continuation event through the local runner", async () => {
    const store = seed(40);
    const d = deps(store, mailer, { batchSize: 5, maxBatchesPerRun: 3 });
    const runner = new LocalRunner().register({
      event: "campaign/send.requested",
      handler: ({ event, step }) => fanOutCampaign({ event, step }, d),
      idempotencyKey: (e) => String(e.data.outboxId),
      concurrencyKey: (e) => String(e.data.campaignId),
    });
    const event = { name: "campaign/send.requested", data: { campaignId: "camp-1", outboxId: "ob-9" } };
    await runner.send(event);
    await runner.send(event); // duplicate delivery: dropped by the idempotency key
    await runner.idle();
    expect(runner.errors).toEqual([]);
    const sent = await addressesSent();
    expect(sent).toHaveLength(40);
    expectNoDuplicates(sent);
    expect(store.campaigns.get("camp-1")!.status).toBe("completed");
  });
});
