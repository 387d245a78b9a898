/**
 * Benchmark: one campaign of N recipients through the real fan-out — DynamoDB stand-in (in memory) +
 * conditional claims + SES emulator, send rate unlimited. Usage: tsx scripts/bench-campaign.ts [N] [store]
 * where store is "dynamo" (default) or "memory". Prints recipients/s and where the time went.
 */
import { SESv2Client } from "@aws-sdk/client-sesv2";

import { startLocalAws } from "@/dev/local-aws";
import { createLocalStep } from "@/inngest/local-runner";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { MemoryRecipientStore } from "@/lib/campaigns/memory-recipient-store";
import { type RecipientStore } from "@/lib/campaigns/recipient-store";
import {
  createCampaignRecord,
  DynamoRecipientStore,
  freezeRecipients,
  startCampaignSend,
} from "@/lib/db/campaigns-repo";
import { ensureTable } from "@/lib/db/table";
import { type Mailer } from "@/lib/email/mailer";
import { SesMailer } from "@/lib/email/ses-mailer";
import { resetEnvCache } from "@/lib/env";

const n = Number(process.argv[2] ?? 5000);
const kind = process.argv[3] ?? "dynamo";

/** Wraps every method of an object to add its wall time to `totals`. */
function timed<T extends object>(target: T, totals: Map<string, number>): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await value.apply(obj, args);
        } finally {
          totals.set(String(prop), (totals.get(String(prop)) ?? 0) + performance.now() - t0);
        }
      };
    },
  });
}

async function main() {
  const aws = await startLocalAws();
  process.env.DYNAMODB_ENDPOINT = aws.dynamoEndpoint;
  process.env.SES_ENDPOINT = aws.sesEndpoint;
  process.env.DYNAMODB_TABLE = "rally-bench";
  resetEnvCache();
  await ensureTable();
  const recipients = Array.from({ length: n }, (_, i) => ({
    recipientId: `u${String(i).padStart(6, "0")}`,
    email: `b${i}@example.com`,
    firstName: `F${i}`,
  }));
  const campaign = {
    id: "bench",
    name: "Bench",
    subject: "Hello {{firstName|there}}",
    body: "Hi {{firstName}},\n\nAgenda: https://events.test/agenda\n\n[Register](https://events.test/r)",
    utm: { source: "rally", medium: "email", campaign: "bench" },
  };
  let store: RecipientStore;
  if (kind === "memory") {
    const mem = new MemoryRecipientStore();
    mem.addCampaign(campaign, recipients);
    store = mem;
  } else {
    await createCampaignRecord({ ...campaign, createdAt: new Date().toISOString() });
    await freezeRecipients("bench", recipients);
    await startCampaignSend("bench", "ob-bench");
    store = new DynamoRecipientStore();
  }
  const client = new SESv2Client({
    endpoint: aws.sesEndpoint,
    region: "local",
    maxAttempts: 1,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const totals = new Map<string, number>();
  const mailer: Mailer = timed(await SesMailer.create({ client, maxSendRate: "unlimited" }), totals);
  const t0 = performance.now();
  const summary = await fanOutCampaign(
    {
      event: { data: { campaignId: "bench", outboxId: "ob-bench" } },
      step: createLocalStep(async () => undefined),
    },
    { store: timed(store, totals), mailer, appUrl: "https://rally.test" },
  );
  const seconds = (performance.now() - t0) / 1000;
  const progress = await store.progress("bench");
  console.log(
    JSON.stringify({
      store: kind,
      recipients: n,
      seconds: +seconds.toFixed(2),
      perSecond: Math.round(n / seconds),
      summary,
      progress,
    }),
  );
  const breakdown = [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)}s`);
  console.log(`time in calls (overlapping): ${breakdown.join(", ")}`);
  client.destroy();
  await aws.stop();
}

void main();
