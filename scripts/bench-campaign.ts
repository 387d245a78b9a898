/**
 * Benchmark: one campaign of N recipients through the real fan-out (conditional claims, render, SendBulkEmail
 * to the SES emulator at unlimited rate, one settle per batch) with three stores: in memory, the DynamoDB
 * stand-in, and the stand-in plus the analytics ingest. Appends a table to docs/benchmarks.md.
 * Usage: tsx scripts/bench-campaign.ts [N=2000]
 */
import { appendFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

import { SESv2Client } from "@aws-sdk/client-sesv2";

import { startLocalAws } from "@/dev/local-aws";
import { createLocalStep } from "@/inngest/local-runner";
import { campaignDeliveryAnalytics } from "@/lib/campaigns/analytics-sink";
import { fanOutCampaign } from "@/lib/campaigns/fanout";
import { MemoryRecipientStore } from "@/lib/campaigns/memory-recipient-store";
import { type RecipientStore } from "@/lib/campaigns/recipient-store";
import { createCampaignRecord, freezeRecipients, startCampaignSend } from "@/lib/db/campaigns-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { ensureTable } from "@/lib/db/table";
import { SesMailer } from "@/lib/email/ses-mailer";
import { resetEnvCache } from "@/lib/env";
import { localClientConfig } from "@/dev/local-aws";

const n = Number(process.argv[2] ?? 2000);
type Variant = "memory" | "dynamo" | "dynamo+analytics";

const content = {
  name: "Bench",
  subject: "Hello {{firstName|there}}",
  body: "Hi {{firstName}},\n\nAgenda: https://events.test/agenda\n\n[Register](https://events.test/r)",
  utm: { source: "rally", medium: "email", campaign: "bench" },
};

function recipients() {
  return Array.from({ length: n }, (_, i) => ({
    recipientId: `u${String(i).padStart(6, "0")}`,
    email: `b${i}@example.com`,
    firstName: `F${i}`,
  }));
}

async function runVariant(variant: Variant, mailer: SesMailer): Promise<{ seconds: number; sent: number }> {
  const id = `bench-${variant.replace("+", "-")}`;
  let store: RecipientStore;
  if (variant === "memory") {
    const mem = new MemoryRecipientStore();
    mem.addCampaign({ id, ...content }, recipients());
    store = mem;
  } else {
    await createCampaignRecord({ id, ...content, createdAt: new Date().toISOString() });
    await freezeRecipients(id, recipients());
    await startCampaignSend(id, `ob-${id}`);
    store = new DynamoRecipientStore(variant === "dynamo" ? {} : { analytics: campaignDeliveryAnalytics });
  }
  const t0 = performance.now();
  const summary = await fanOutCampaign(
    {
      event: { data: { campaignId: id, outboxId: `ob-${id}` } },
      step: createLocalStep(async () => undefined),
    },
    { store, mailer, appUrl: "https://rally.test" },
  );
  const seconds = (performance.now() - t0) / 1000;
  const progress = await store.progress(id);
  if (summary.outcome !== "completed" || progress.sent !== n)
    throw new Error(`${variant}: ${JSON.stringify(progress)}`);
  return { seconds, sent: progress.sent };
}

async function main() {
  const loadBefore = loadavg()[0]!.toFixed(1);
  const started = Date.now();
  const aws = await startLocalAws();
  process.env.DYNAMODB_ENDPOINT = aws.dynamoEndpoint;
  process.env.SES_ENDPOINT = aws.sesEndpoint;
  process.env.DYNAMODB_TABLE = "rally-bench";
  resetEnvCache();
  await ensureTable();
  const client = new SESv2Client({ ...localClientConfig(aws.sesEndpoint), maxAttempts: 1 });
  const mailer = await SesMailer.create({ client, maxSendRate: "unlimited" });
  const rows: string[] = [];
  for (const variant of ["memory", "dynamo", "dynamo+analytics"] as const) {
    const { seconds } = await runVariant(variant, mailer);
    const line = `| ${variant} | ${n} | ${seconds.toFixed(2)} s | ${Math.round(n / seconds).toLocaleString("en-US")}/s |`;
    console.log(line);
    rows.push(line);
  }
  client.destroy();
  await aws.stop();
  const cpu = cpus();
  const note =
    `${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ` +
    `${process.platform}; 1-min load average ${loadBefore} before / ${loadavg()[0]!.toFixed(1)} after. Stand-in and SES ` +
    `emulator in this process, batches of 50, send rate unlimited. Run took ${Math.round((Date.now() - started) / 1000)} s ` +
    "(`npx tsx scripts/bench-campaign.ts`).";
  const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
  appendFileSync(
    "docs/benchmarks.md",
    `\n## Campaign fan-out — ${stamp} UTC\n\n${note}\n\n| Store | Recipients | Wall time | Recipients/s |\n| --- | --- | --- | --- |\n${rows.join("\n")}\n`,
  );
}

void main();
