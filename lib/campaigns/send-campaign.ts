import { randomUUID } from "node:crypto";

import { requestCampaignSend } from "@/inngest/dispatch";
import { relayOutbox } from "@/lib/campaigns/outbox-relay";
import { type ProgressCounts } from "@/lib/campaigns/recipient-store";
import { type CampaignStatus } from "@/lib/campaigns/schemas";
import { type Ctx, requireScope } from "@/lib/context";
import { getFanoutDeps } from "@/lib/campaigns/deps";
import { resolveRecipients } from "@/lib/campaigns/resolve-recipients";
import { type EventVars, compileTemplate, renderMessage } from "@/lib/campaigns/template";
import {
  freezeRecipients,
  getCampaign,
  getCampaignOrThrow,
  moveCampaignStatus,
  startCampaignSend,
} from "@/lib/db/campaigns-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { unsubscribeHeaders } from "@/lib/email/headers";
import { type SendResult } from "@/lib/email/mailer";
import { getEvent } from "@/lib/db/events-repo";
import { getEnv } from "@/lib/env";
import { ConflictError, NotFoundError, UnprocessableError } from "@/lib/errors";

// No "server-only": scripts (seed, bench) may send campaigns under tsx.

/**
 * Sends (or resumes) a campaign: a draft's audience is resolved and frozen into recipients first (so later
 * data changes do not change who gets it), then draft|paused → sending plus an outbox row in one
 * transaction, then the outbox is relayed at once. If the relay fails here the row stays pending and the next
 * sweep delivers it. With `scheduledAt` the fan-out waits until then.
 * @throws NotFoundError; ConflictError when the campaign is not draft or paused; UnprocessableError when the
 *   audience matches nobody; ValidationError for a bad filter; Unauthorized/ForbiddenError.
 */
export async function sendCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string; scheduledAt?: string };
}): Promise<{ campaignId: string; outboxId: string; status: CampaignStatus; recipients: number }> {
  requireScope(ctx, "write");
  const campaign = await getCampaignOrThrow(input.campaignId);
  let recipients = campaign.recipientCount;
  if (campaign.status === "draft" && campaign.audience) {
    const frozen = await resolveRecipients(campaign.audience);
    if (frozen.length === 0) throw new UnprocessableError("The campaign's audience matches nobody.");
    recipients = await freezeRecipients(campaign.id, frozen);
  } else if (campaign.status !== "draft" && campaign.status !== "paused") {
    throw new ConflictError("Only a draft or paused campaign can be sent.");
  }
  const outboxId = `ob_${randomUUID()}`;
  // The promoted event's details are frozen with the send, like the audience: later edits don't change queued mail.
  const event = campaign.event ?? (campaign.eventId ? await eventVarsFor(campaign.eventId) : undefined);
  await startCampaignSend(input.campaignId, outboxId, {
    ...(input.scheduledAt ? { scheduledAt: new Date(input.scheduledAt).toISOString() } : {}),
    ...(event ? { event } : {}),
  });
  try {
    await relayOutbox(requestCampaignSend);
  } catch (error) {
    console.error(`[campaigns] relay after send of ${input.campaignId} failed; the sweep will retry`, error);
  }
  return { campaignId: input.campaignId, outboxId, status: "sending", recipients };
}

/**
 * Resumes a paused campaign (pending recipients are sent; unknown ones are never retried).
 * @throws NotFoundError; ConflictError when it is not paused; Unauthorized/ForbiddenError.
 */
export async function resumeCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string };
}): Promise<{ campaignId: string; outboxId: string; status: CampaignStatus }> {
  requireScope(ctx, "write");
  const campaign = await getCampaignOrThrow(input.campaignId);
  if (campaign.status !== "paused") throw new ConflictError("Only a paused campaign can be resumed.");
  const { outboxId, status } = await sendCampaign({ ctx, input });
  return { campaignId: input.campaignId, outboxId, status };
}

/**
 * Cancels a draft, sending or paused campaign; the fan-out stops at its next batch and recipients not yet
 * claimed stay `pending` (never sent).
 * @throws NotFoundError; ConflictError when it already completed or was cancelled; Unauthorized/ForbiddenError.
 */
export async function cancelCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string };
}): Promise<void> {
  requireScope(ctx, "write");
  if (await moveCampaignStatus(input.campaignId, "cancelled", ["draft", "sending", "paused"])) return;
  await getCampaignOrThrow(input.campaignId);
  throw new ConflictError("Only a draft, sending or paused campaign can be cancelled.");
}

/**
 * Sends the campaign's current content to the given addresses only. Test copies are not recipients: they
 * are not counted in progress or analytics, and their links carry a `test-` recipient id.
 * @throws NotFoundError; Unauthorized/ForbiddenError.
 */
export async function sendTestCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string; emails: string[] };
}): Promise<{ results: { email: string; status: SendResult["status"]; reason?: string }[] }> {
  requireScope(ctx, "write");
  const campaign = await getCampaignOrThrow(input.campaignId);
  const template = compileTemplate({ subject: campaign.subject, body: campaign.body });
  const { mailer } = await getFanoutDeps();
  const env = getEnv();
  const messages = input.emails.map((email, i) => {
    const rendered = renderMessage(template, {
      campaignId: campaign.id,
      utm: campaign.utm,
      recipient: { id: `test-${i}`, email, firstName: "Test", lastName: "Recipient" },
      event: campaign.event,
      appUrl: env.APP_URL,
      secret: env.RALLY_SECRET,
    });
    return {
      id: `test-${i}`,
      to: email,
      ...(campaign.from ? { from: campaign.from } : {}),
      subject: `[Test] ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
      headers: unsubscribeHeaders(rendered.unsubscribeUrl),
    };
  });
  const results = await mailer.send(messages);
  return {
    results: results.map((r, i) => ({
      email: input.emails[i]!,
      status: r.status,
      ...("reason" in r ? { reason: r.reason } : {}),
    })),
  };
}

/**
 * Pauses a sending campaign; the running fan-out stops at its next batch, pending recipients stay pending.
 * @throws NotFoundError; ConflictError when it is not sending; Unauthorized/ForbiddenError.
 */
export async function pauseCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string };
}): Promise<void> {
  requireScope(ctx, "write");
  if (await moveCampaignStatus(input.campaignId, "paused", ["sending"])) return;
  if (!(await getCampaign(input.campaignId))) throw new NotFoundError("Campaign", input.campaignId);
  throw new ConflictError("Only a sending campaign can be paused.");
}

export interface CampaignProgress {
  campaignId: string;
  status: CampaignStatus;
  recipientCount: number;
  counts: ProgressCounts;
}

/**
 * Delivery progress: recipients per state (pending, sending, sent, failed, suppressed, skipped, unknown).
 * @throws NotFoundError; Unauthorized/ForbiddenError.
 */
export async function getCampaignProgress({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string };
}): Promise<CampaignProgress> {
  requireScope(ctx, "read");
  const campaign = await getCampaign(input.campaignId);
  if (!campaign) throw new NotFoundError("Campaign", input.campaignId);
  const counts = await new DynamoRecipientStore().progress(input.campaignId);
  return {
    campaignId: campaign.id,
    status: campaign.status,
    recipientCount: campaign.recipientCount,
    counts,
  };
}

/** Template variables of the event a campaign promotes; undefined when the event is gone. */
async function eventVarsFor(eventId: string): Promise<EventVars | undefined> {
  const event = await getEvent(eventId);
  if (!event) return undefined;
  return {
    title: event.title,
    startAt: event.startAt,
    ...(event.venue ? { venue: event.venue } : {}),
    url: `${getEnv().APP_URL.replace(/\/+$/, "")}/e/${event.slug}`,
    timezone: event.timeZone,
  };
}
