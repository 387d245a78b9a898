import { z } from "zod";

import { CAMPAIGN_SEND_REQUESTED } from "@/inngest/event-names";
import {
  type BatchTransitions,
  type CampaignRecipient,
  type CampaignSnapshot,
  type RecipientStore,
  type Settlement,
  type StatusEvent,
} from "@/lib/campaigns/recipient-store";
import { SendRequestedData } from "@/lib/campaigns/schemas";
import { renderBatch, type RenderBatchInput, type RenderedMessage } from "@/lib/campaigns/template";
import { unsubscribeHeaders } from "@/lib/email/headers";
import { NothingSentError, type Mailer, type OutgoingMessage } from "@/lib/email/mailer";
import { getEnv } from "@/lib/env";

/*
 * The campaign fan-out: one handler run by Inngest (inngest/functions/campaign-fanout.ts) and by the in-process
 * runner (inngest/local-runner.ts). Each step handles one batch: conditional claims (pending → sending with a
 * lease), render, one SES call, marks right after the answer. Correctness comes from the conditional writes, not
 * from step memoization: re-running any step, or the whole handler, never sends a recipient twice.
 * No "server-only" here: the standalone runner process imports this under tsx.
 */

/** The part of Inngest's `step` the handler uses; Inngest's real step satisfies it. */
export interface MinimalStep {
  run<T>(id: string, fn: () => Promise<T>): Promise<unknown>;
  sleep(id: string, duration: string | number): Promise<void>;
  sendEvent(id: string, events: { name: string; data: Record<string, unknown> }[]): Promise<unknown>;
}

export interface FanoutConfig {
  /** Recipients per claim and per SES call (SendBulkEmail takes at most 50). */
  batchSize: number;
  /**
   * Batches claimed and sent concurrently. Raises throughput where the send rate allows; a crash can then
   * leave up to parallelBatches × batchSize recipients `unknown` instead of one batch.
   */
  parallelBatches: number;
  /**
   * Batches one step lists and works through (at most parallelBatches at a time, each starting as soon as one
   * finishes, so claims, rendering and SES calls overlap instead of moving in lock-step). More per step means
   * fewer campaign and pending-index reads, but pause, cancel and the failure breaker act per step.
   * Values below parallelBatches count as parallelBatches.
   */
  batchesPerStep: number;
  /**
   * Batches one worker claims in one write and sends at once (their outcomes then go with its next claim).
   * Fewer writes per email; in flight, and so the `unknown` bound after a crash, is parallelBatches ×
   * batchesPerClaim × batchSize.
   */
  batchesPerClaim: number;
  /** Claim lease. Must exceed one batch's render + send time; an expired lease turns into `unknown`. */
  leaseMs: number;
  /** Batches per run before handing over to a continuation event (Inngest caps steps per run). */
  maxBatchesPerRun: number;
  /** Auto-pause when failed / (sent + failed) exceeds this ... */
  failureRateThreshold: number;
  /** ... once at least this many sends were attempted. */
  minAttemptsForBreaker: number;
  /** Transient failures are retried until a recipient has this many attempts, then it is `failed`. */
  maxAttempts: number;
  /** Backoff after a throttled batch: base · 2^round, capped. */
  throttleBackoffBaseMs: number;
  throttleBackoffCapMs: number;
  /** Consecutive throttled rounds before the campaign pauses (messages stay pending, never dropped). */
  maxThrottleRounds: number;
}

export const DEFAULT_FANOUT_CONFIG: FanoutConfig = {
  batchSize: 50,
  parallelBatches: 1,
  batchesPerStep: 1,
  batchesPerClaim: 1,
  leaseMs: 5 * 60_000,
  maxBatchesPerRun: 400,
  failureRateThreshold: 0.2,
  minAttemptsForBreaker: 50,
  maxAttempts: 3,
  throttleBackoffBaseMs: 1_000,
  throttleBackoffCapMs: 60_000,
  maxThrottleRounds: 20,
};

export interface FanoutDeps {
  store: RecipientStore;
  mailer: Mailer;
  config?: Partial<FanoutConfig>;
  now?: () => number;
  appUrl?: string;
  secret?: string;
}

export interface BatchOutcome {
  /** Set when the run must stop now (campaign not sending, breaker tripped, campaign missing). */
  stop?: "missing" | "not-sending" | "paused-failures" | "paused-throttling";
  /** Where the next batch starts; absent at the end of a pass. */
  cursor?: string;
  /** True when this pass found no pending recipient at all. */
  empty: boolean;
  sent: number;
  failed: number;
  retry: number;
  throttled: number;
  unknown: number;
  suppressed: number;
  skipped: number;
  /** Campaign-wide sent/failed so far, carried from step to step for the failure-rate breaker. */
  totals?: SendTotals;
}

export interface SendTotals {
  sent: number;
  failed: number;
}

export interface FanoutSummary {
  campaignId: string;
  outcome: "completed" | "stopped" | "continued";
  reason?: string;
  batches: number;
}

const Email = z.email();
const INVALID_ADDRESS = "invalid email address";

// SES tag values allow letters, digits, '_', '-', '.', '@'; anything else is replaced (ids rarely have any, so
// test before building a new string).
const TAG_UNSAFE = /[^A-Za-z0-9_.@-]/;
const tagValue = (v: string) => (TAG_UNSAFE.test(v) ? v.replace(/[^A-Za-z0-9_.@-]/g, "_") : v).slice(0, 256);

/** The tags SES echoes in bounce/complaint/delivery events (lib/campaigns/ses-events.ts reads them). */
export function messageTags(campaignId: string, recipientId: string) {
  return [
    { name: "rally-campaign", value: tagValue(campaignId) },
    { name: "rally-recipient", value: tagValue(recipientId) },
  ];
}

function settings(deps: FanoutDeps): FanoutConfig {
  return { ...DEFAULT_FANOUT_CONFIG, ...deps.config };
}

/**
 * Processes the next batch of pending recipients of one campaign. Safe to run concurrently and repeatedly.
 * @throws NothingSentError (after releasing its claims) when the mailer refused the whole call; any other
 *   error from the mailer leaves the claims to expire into `unknown`.
 */
export async function processNextBatch(
  deps: FanoutDeps,
  campaignId: string,
  cursor: string | undefined,
  throttleRound = 0,
  totals?: SendTotals,
): Promise<BatchOutcome> {
  const cfg = settings(deps);
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const outcome: BatchOutcome = {
    empty: false,
    sent: 0,
    failed: 0,
    retry: 0,
    throttled: 0,
    unknown: 0,
    suppressed: 0,
    skipped: 0,
    ...(totals ? { totals } : {}),
  };
  const campaign = await store.loadCampaign(campaignId);
  if (!campaign) return { ...outcome, stop: "missing" };
  if (campaign.status !== "sending") return { ...outcome, stop: "not-sending" };

  const parallel = Math.max(1, Math.floor(cfg.parallelBatches));
  const perStep = Math.max(parallel, Math.floor(cfg.batchesPerStep));
  const page = await store.listRecipients(campaignId, {
    status: "pending",
    limit: cfg.batchSize * perStep,
    cursor,
  });
  outcome.cursor = page.cursor;
  outcome.empty = page.items.length === 0 && cursor === undefined && page.cursor === undefined;
  if (page.items.length === 0) return outcome;

  const events: StatusEvent[] = [];
  const sendable = page.items.filter((r) => Email.safeParse(r.email).success);
  const validIds = new Set(sendable.map((r) => r.recipientId));
  // One suppression lookup for the whole page rather than one per batch.
  const suppressed = await store.isSuppressed(sendable.map((r) => r.email));
  const queue: CampaignRecipient[][] = [];
  for (let i = 0; i < page.items.length; i += cfg.batchSize)
    queue.push(page.items.slice(i, i + cfg.batchSize));
  // `parallel` workers take batches off the queue. Each batch's outcomes are written together with the claim
  // of the worker's next batch (one write per batch), the last one on its own. After a NothingSentError or a
  // throttled answer no further batch starts: its recipients stay pending for a later pass (after the
  // backoff). The error is rethrown once every worker has written what it holds, so none is left
  // claimed-but-unmarked.
  let failure: { reason: unknown } | undefined;
  const checked = { validIds, suppressed };
  const perClaim = Math.max(1, Math.floor(cfg.batchesPerClaim));
  const worker = async () => {
    let carry: Settlement[] | undefined;
    try {
      for (;;) {
        if (failure || outcome.throttled > 0) break;
        const group = queue.splice(0, perClaim).flat();
        if (group.length === 0) break;
        const claimed = await claimChunk(deps, cfg, campaign.id, group, checked, carry, outcome, events);
        carry = undefined;
        const batches: CampaignRecipient[][] = [];
        for (let i = 0; i < claimed.length; i += cfg.batchSize)
          batches.push(claimed.slice(i, i + cfg.batchSize));
        const sent = await Promise.allSettled(
          batches.map((batch) => sendClaimed(deps, cfg, campaign, batch, outcome, events)),
        );
        carry = sent.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
        const refused = sent.find((r) => r.status === "rejected");
        if (refused) throw refused.reason;
      }
    } catch (reason) {
      failure ??= { reason };
    }
    if (carry && carry.length > 0) {
      try {
        await store.settle(campaign.id, carry, now());
      } catch (reason) {
        failure ??= { reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, Math.ceil(queue.length / perClaim)) }, worker));
  if (failure) {
    await store.recordStatusEvents(events);
    throw failure.reason;
  }

  // Totals travel with the steps so the breaker costs no full scan per batch; a run without them (first
  // batch after a restart) counts once.
  const base = totals ?? (await store.progress(campaignId));
  const counts = { sent: base.sent + outcome.sent, failed: base.failed + outcome.failed };
  outcome.totals = counts;
  const attempted = counts.sent + counts.failed;
  let stop: BatchOutcome["stop"];
  if (attempted >= cfg.minAttemptsForBreaker && counts.failed / attempted > cfg.failureRateThreshold) {
    stop = "paused-failures";
  } else if (outcome.throttled > 0 && throttleRound + 1 >= cfg.maxThrottleRounds) {
    stop = "paused-throttling";
  }
  if (stop && (await store.setCampaignStatus(campaignId, "paused", ["sending"]))) {
    events.push({ campaignId, type: "campaign_paused", at: now(), reason: stop });
  }
  await store.recordStatusEvents(events);
  return stop ? { ...outcome, stop } : outcome;
}

/**
 * Writes the previous batch's outcomes (`carry`) and this batch's transitions in one write: invalid and
 * suppressed addresses (checked once per step: ids with a valid address, suppressed addresses lower-cased)
 * are excluded, the rest claimed. Answers the recipients this worker now holds.
 */
async function claimChunk(
  deps: FanoutDeps,
  cfg: FanoutConfig,
  campaignId: string,
  items: CampaignRecipient[],
  checked: { validIds: Set<string>; suppressed: Set<string> },
  carry: Settlement[] | undefined,
  outcome: BatchOutcome,
  events: StatusEvent[],
): Promise<CampaignRecipient[]> {
  const now = (deps.now ?? Date.now)();
  const exclude: NonNullable<BatchTransitions["exclude"]> = [];
  const candidates: CampaignRecipient[] = [];
  for (const r of items) {
    if (!checked.validIds.has(r.recipientId))
      exclude.push({ recipientId: r.recipientId, status: "skipped", reason: INVALID_ADDRESS });
    else if (checked.suppressed.has(r.email.toLowerCase()))
      exclude.push({ recipientId: r.recipientId, status: "suppressed" });
    else candidates.push(r);
  }
  const { claimed, excluded } = await deps.store.claimBatch(
    campaignId,
    {
      ...(carry ? { settle: carry } : {}),
      ...(exclude.length > 0 ? { exclude } : {}),
      claim: candidates.map((r) => r.recipientId),
    },
    cfg.leaseMs,
    now,
  );
  const done = new Set(excluded);
  for (const x of exclude) {
    if (!done.has(x.recipientId)) continue;
    if (x.status === "skipped") outcome.skipped++;
    else outcome.suppressed++;
    events.push({
      campaignId,
      recipientId: x.recipientId,
      type: x.status,
      at: now,
      ...(x.reason ? { reason: x.reason } : {}),
    });
  }
  const won = new Set(claimed);
  const mine = candidates.filter((r) => won.has(r.recipientId));
  for (const r of mine) events.push({ campaignId, recipientId: r.recipientId, type: "queued", at: now });
  return mine;
}

/**
 * Renders and sends one claimed batch; answers its outcomes for the next write. Content that fails to render
 * releases the claims (nothing reached SES).
 * @throws NothingSentError (after releasing the claims) when the mailer refused the whole call; any other
 *   error from the mailer leaves the claims to expire into `unknown`.
 */
async function sendClaimed(
  deps: FanoutDeps,
  cfg: FanoutConfig,
  campaign: CampaignSnapshot,
  claimed: CampaignRecipient[],
  outcome: BatchOutcome,
  events: StatusEvent[],
): Promise<Settlement[]> {
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const campaignId = campaign.id;
  const event = (recipientId: string, type: StatusEvent["type"], extra: Partial<StatusEvent> = {}) =>
    events.push({ campaignId, recipientId, type, at: now(), ...extra });
  const ids = claimed.map((r) => r.recipientId);

  const input: RenderBatchInput = {
    subject: campaign.subject,
    body: campaign.body,
    campaignId,
    utm: campaign.utm,
    ...(campaign.event ? { event: campaign.event } : {}),
    appUrl: deps.appUrl ?? getEnv().APP_URL,
    secret: deps.secret ?? getEnv().RALLY_SECRET,
    recipients: claimed.map((r) => ({ ...r, id: r.recipientId })),
  };
  let rendered: RenderedMessage[];
  try {
    rendered = renderBatch(input);
  } catch (error) {
    // Nothing reached SES: the claims go back to pending rather than expiring into `unknown`.
    await store.release(campaignId, ids, now());
    throw error;
  }
  const messages: OutgoingMessage[] = claimed.map((r, i) => {
    const message = rendered[i]!;
    return {
      id: r.recipientId,
      to: r.email,
      ...(campaign.from ? { from: campaign.from } : {}),
      subject: message.subject,
      get html() {
        return message.html;
      },
      get text() {
        return message.text;
      },
      templated: { template: message.template, values: message.values },
      headers: unsubscribeHeaders(message.unsubscribeUrl),
      tags: messageTags(campaignId, r.recipientId),
    };
  });

  let results;
  try {
    results = await deps.mailer.send(messages);
  } catch (error) {
    if (error instanceof NothingSentError) await store.release(campaignId, ids, now());
    throw error;
  }

  const attempts = new Map(claimed.map((r) => [r.recipientId, r.attempts + 1]));
  return results.map((res): Settlement => {
    if (res.status === "sent") {
      outcome.sent++;
      event(res.id, "sent", { providerMessageId: res.providerMessageId });
      return { recipientId: res.id, status: "sent", providerMessageId: res.providerMessageId };
    }
    if (res.status === "unknown") {
      outcome.unknown++;
      event(res.id, "unknown", { reason: res.reason });
      return { recipientId: res.id, status: "unknown", reason: res.reason };
    }
    if (res.status === "throttled") {
      outcome.throttled++;
      event(res.id, "throttled", { reason: res.reason });
      return { recipientId: res.id, status: "pending" };
    }
    if (!res.permanent && (attempts.get(res.id) ?? cfg.maxAttempts) < cfg.maxAttempts) {
      outcome.retry++;
      event(res.id, "retrying", { reason: res.reason });
      return { recipientId: res.id, status: "pending" };
    }
    outcome.failed++;
    event(res.id, "failed", { reason: res.reason });
    return { recipientId: res.id, status: "failed", reason: res.reason };
  });
}

export interface FinishOutcome {
  action: "complete" | "wait" | "more" | "stop";
  expired: number;
}

/** End of a pass: expire dead leases into `unknown`, then complete the campaign or say what remains. */
export async function finishPass(deps: FanoutDeps, campaignId: string): Promise<FinishOutcome> {
  const now = deps.now ?? Date.now;
  const expired = await deps.store.expireLeases(campaignId, now());
  if (expired.length > 0) {
    await deps.store.recordStatusEvents(
      expired.map((recipientId) => ({
        campaignId,
        recipientId,
        type: "unknown",
        at: now(),
        reason: "lease expired",
      })),
    );
  }
  const counts = await deps.store.progress(campaignId);
  if (counts.pending > 0) return { action: "more", expired: expired.length };
  if (counts.sending > 0) return { action: "wait", expired: expired.length };
  if (await deps.store.setCampaignStatus(campaignId, "completed", ["sending"])) {
    await deps.store.recordStatusEvents([{ campaignId, type: "campaign_completed", at: now() }]);
    return { action: "complete", expired: expired.length };
  }
  return { action: "stop", expired: expired.length };
}

/**
 * Handler for `campaign/send.requested`. Pages through pending recipients one batch per step, backs off after
 * throttling, finishes by turning dead leases into `unknown`, and hands over to a continuation event when a
 * run reaches maxBatchesPerRun.
 * @throws ZodError when the event data is malformed; mailer errors as processNextBatch.
 */
export async function fanOutCampaign(
  { event, step }: { event: { data: unknown }; step: MinimalStep },
  deps: FanoutDeps,
): Promise<FanoutSummary> {
  const { campaignId, outboxId } = SendRequestedData.parse(event.data);
  const cfg = settings(deps);
  // Send later: the campaign is already `sending` with its audience frozen; the run just waits.
  const waitMs = (await step.run("schedule", async () => {
    const at = (await deps.store.loadCampaign(campaignId))?.scheduledAt;
    return at ? Math.max(0, Date.parse(at) - (deps.now ?? Date.now)()) : 0;
  })) as number;
  if (waitMs > 0) await step.sleep("scheduled", waitMs);
  let cursor: string | undefined;
  let throttleRound = 0;
  let totals: SendTotals | undefined;
  for (let i = 0; i < cfg.maxBatchesPerRun; i++) {
    const round = throttleRound;
    const sentSoFar = totals;
    const out = (await step.run(`batch-${i}`, () =>
      processNextBatch(deps, campaignId, cursor, round, sentSoFar),
    )) as BatchOutcome;
    if (out.stop) return { campaignId, outcome: "stopped", reason: out.stop, batches: i + 1 };
    cursor = out.cursor;
    totals = out.totals;

    if (out.throttled > 0) {
      const delay = Math.min(cfg.throttleBackoffCapMs, cfg.throttleBackoffBaseMs * 2 ** throttleRound);
      throttleRound++;
      await step.sleep(`throttle-backoff-${i}`, delay);
    } else if (out.sent > 0) {
      throttleRound = 0;
    }

    if (cursor === undefined && (out.empty || out.sent + out.failed + out.unknown === 0)) {
      // End of a pass with nothing left to send from it: settle leases and decide.
      const fin = (await step.run(`finish-${i}`, () => finishPass(deps, campaignId))) as FinishOutcome;
      if (fin.action === "complete") return { campaignId, outcome: "completed", batches: i + 1 };
      if (fin.action === "stop")
        return { campaignId, outcome: "stopped", reason: "not-sending", batches: i + 1 };
      if (fin.action === "wait") await step.sleep(`await-leases-${i}`, cfg.leaseMs);
    }
  }
  const part = /\/part-(\d+)$/.exec(outboxId);
  const next = part ? `${outboxId.slice(0, part.index)}/part-${Number(part[1]) + 1}` : `${outboxId}/part-2`;
  await step.sendEvent("continue", [{ name: CAMPAIGN_SEND_REQUESTED, data: { campaignId, outboxId: next } }]);
  return { campaignId, outcome: "continued", batches: cfg.maxBatchesPerRun };
}
