/**
 * Standalone campaign worker for the in-process executor: relays the outbox, resumes campaigns left in
 * `sending` by a dead worker, runs the fan-out until idle, and exits (0 = every run finished).
 * Env: DYNAMODB_ENDPOINT, DYNAMODB_TABLE, SES_ENDPOINT as the app; RUNNER_LEASE_MS, RUNNER_SEND_RATE
 * ("unlimited" or messages/s), RUNNER_PARALLEL_BATCHES (workers), RUNNER_BATCHES_PER_CLAIM (batches per worker write), RUNNER_BATCHES_PER_STEP and RUNNER_ANALYTICS=off (skip the rollup ingest) for tests and benchmarks. Used by the kill-mid-campaign test.
 */
import { readFileSync } from "node:fs";

import { CAMPAIGN_SEND_REQUESTED } from "@/inngest/event-names";
import { type LocalRunner, createAppLocalRunner } from "@/inngest/local-runner";
import { campaignDeliveryAnalytics } from "@/lib/campaigns/analytics-sink";
import { setFanoutDeps } from "@/lib/campaigns/deps";
import { relayOutbox, resumeSendingCampaigns } from "@/lib/campaigns/outbox-relay";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { SesMailer } from "@/lib/email/ses-mailer";

async function main(): Promise<number> {
  const rate = process.env.RUNNER_SEND_RATE;
  const leaseMs = process.env.RUNNER_LEASE_MS ? Number(process.env.RUNNER_LEASE_MS) : undefined;
  const parallelBatches = process.env.RUNNER_PARALLEL_BATCHES
    ? Number(process.env.RUNNER_PARALLEL_BATCHES)
    : undefined;
  const batchesPerStep = process.env.RUNNER_BATCHES_PER_STEP
    ? Number(process.env.RUNNER_BATCHES_PER_STEP)
    : undefined;
  const batchesPerClaim = process.env.RUNNER_BATCHES_PER_CLAIM
    ? Number(process.env.RUNNER_BATCHES_PER_CLAIM)
    : undefined;
  const mailer = await SesMailer.create(
    rate ? { maxSendRate: rate === "unlimited" ? "unlimited" : Number(rate) } : {},
  );
  setFanoutDeps({
    store: new DynamoRecipientStore(
      process.env.RUNNER_ANALYTICS === "off" ? {} : { analytics: campaignDeliveryAnalytics },
    ),
    mailer,
    config: {
      ...(leaseMs ? { leaseMs } : {}),
      ...(parallelBatches ? { parallelBatches } : {}),
      ...(batchesPerStep ? { batchesPerStep } : {}),
      ...(batchesPerClaim ? { batchesPerClaim } : {}),
    },
  });
  const runner: LocalRunner = createAppLocalRunner();
  const started = new Set<string>();
  const dispatch = (data: { campaignId: string; outboxId: string }) => {
    started.add(data.campaignId);
    return runner.send({ name: CAMPAIGN_SEND_REQUESTED, data });
  };
  // Relay first, then resume only campaigns the relay did not start: a fresh campaign is `sending` with its
  // outbox row pending, and two runs of it would race for the same pending pages, doubling the claim writes
  // that lose (and the recipients a crash can leave `unknown`).
  const fanoutStarted = performance.now();
  const relayed = await relayOutbox(dispatch);
  let resumed = 0;
  await resumeSendingCampaigns(async (data) => {
    if (started.has(data.campaignId)) return;
    resumed++;
    await dispatch(data);
  });
  console.log(`[campaign-runner] pid ${process.pid}: relayed ${relayed}, resumed ${resumed}`);
  await runner.idle();
  // The fan-out alone, without process start-up (module loading, SES client): what a long-running worker pays.
  console.log(`[campaign-runner] fan-out ${Math.round(performance.now() - fanoutStarted)} ms`);
  const usage = process.resourceUsage();
  const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
  console.log(
    `[campaign-runner] idle, ${runner.errors.length} failed run(s), peak RSS ${peakRssMiB(usage.maxRSS)} MiB, cpu ${cpuMs} ms`,
  );
  return runner.errors.length === 0 ? 0 : 1;
}

/**
 * This process's own peak RSS. On Linux getrusage's maxRSS also counts the parent's size at fork (the copy the
 * process started as before exec), so a runner spawned by a big parent would report the parent; VmHWM in
 * /proc/self/status is the peak of this process's own memory.
 */
function peakRssMiB(maxRssKiB: number): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux: fall back to getrusage
  }
  return Math.round(maxRssKiB / 1024);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
