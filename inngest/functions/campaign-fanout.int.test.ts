import { SESv2Client } from "@aws-sdk/client-sesv2";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createCampaignFanout } from "@/inngest/functions/campaign-fanout";
import { type BatchOutcome, type FanoutDeps } from "@/lib/campaigns/fanout";
import { MemoryRecipientStore } from "@/lib/campaigns/memory-recipient-store";
import { FailingMailer, faults } from "@/lib/email/failing-mailer";
import { SesMailer } from "@/lib/email/ses-mailer";
import { startSesEmulator, type SesEmulator } from "@/lib/email/test-ses-emulator";
import { localClientConfig } from "@/dev/local-aws";

let ses: SesEmulator;
let client: SESv2Client;
let mailer: SesMailer;

beforeAll(async () => {
  ses = await startSesEmulator();
  client = new SESv2Client({ ...localClientConfig(ses.endpoint), maxAttempts: 1 });
  mailer = await SesMailer.create({ client, maxSendRate: "unlimited", from: "events@rally.test" });
});
afterAll(async () => {
  client.destroy();
  await ses.close();
});
beforeEach(() => ses.clear());

function seed(n: number): MemoryRecipientStore {
  const store = new MemoryRecipientStore();
  store.addCampaign(
    {
      id: "c1",
      name: "Launch",
      subject: "Hello {{firstName|there}}",
      body: "See https://events.test/x",
      utm: { source: "rally", medium: "email", campaign: "launch" },
    },
    ["a", "b", "c", "d", "e"].slice(0, n).map((id) => ({ recipientId: id, email: `${id}@example.com` })),
  );
  return store;
}

const event = { name: "campaign/send.requested", data: { campaignId: "c1", outboxId: "ob-1" } };
// step.sleep must be mocked or execute() never resolves; sendEvent must be mocked or it calls Inngest.
const sleepAndSendMocks = [
  ...Array.from({ length: 10 }, (_, i) => ({ id: `throttle-backoff-${i}`, handler() {} })),
  ...Array.from({ length: 10 }, (_, i) => ({ id: `await-leases-${i}`, handler() {} })),
  { id: "continue", handler() {} },
];

function engine(deps: FanoutDeps, steps: InngestTestEngine.MockedStep[] = []) {
  return new InngestTestEngine({
    function: createCampaignFanout(async () => deps),
    events: [event],
    steps: [...steps, ...sleepAndSendMocks],
  });
}

async function sentTo(): Promise<string[]> {
  return (await ses.emails()).map((e) => e.destination.to[0]!).sort();
}

describe("campaign-fanout under InngestTestEngine", () => {
  it("completes a campaign, one email per recipient", async () => {
    const store = seed(5);
    const { result, error } = await engine({ store, mailer, config: { batchSize: 2 } }).execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ outcome: "completed" });
    expect(await sentTo()).toEqual(["a", "b", "c", "d", "e"].map((x) => `${x}@example.com`));
  });

  it("a retried run after a refused call on b sends a, b and c exactly once", async () => {
    const store = seed(3);
    const failing = new FailingMailer(
      mailer,
      faults.once((m) => m.to === "b@example.com", "reject-call"),
    );
    const deps = { store, mailer: failing, config: { batchSize: 1 } };

    const first = await engine(deps).execute();
    expect(first.error).toBeDefined();
    expect(await sentTo()).toEqual(["a@example.com"]);

    // Inngest's retry: completed steps are memoized (mocked here with their earlier output), the failed one runs again.
    const batch0: BatchOutcome = {
      cursor: "a",
      empty: false,
      sent: 1,
      failed: 0,
      retry: 0,
      throttled: 0,
      unknown: 0,
      suppressed: 0,
      skipped: 0,
    };
    const retry = await engine(deps, [{ id: "batch-0", handler: () => batch0 }]).execute();
    expect(retry.error).toBeUndefined();
    expect(retry.result).toMatchObject({ outcome: "completed" });
    expect(await sentTo()).toEqual(["a@example.com", "b@example.com", "c@example.com"]);
  });

  it("needs no memoization: a fresh run with every step re-executed sends nothing twice", async () => {
    const store = seed(4);
    const crashing = new FailingMailer(
      mailer,
      faults.onCalls((c) => c === 2, "crash-after-send"),
    );
    const deps = { store, mailer: crashing, config: { batchSize: 2, leaseMs: 1 } };
    expect((await engine(deps).execute()).error).toBeDefined();
    const again = await engine(deps).execute();
    expect(again.result).toMatchObject({ outcome: "completed" });
    const sent = await sentTo();
    expect(sent).toEqual(["a", "b", "c", "d"].map((x) => `${x}@example.com`));
    expect(await store.progress("c1")).toMatchObject({ sent: 2, unknown: 2 });
  });
});
