import { randomUUID } from "node:crypto";

import { requestCampaignSend } from "@/inngest/dispatch";
import { relayOutbox } from "@/lib/campaigns/outbox-relay";
import { type ProgressCounts } from "@/lib/campaigns/recipient-store";
import { type CampaignStatus } from "@/lib/campaigns/schemas";
import { type Ctx, requireScope } from "@/lib/context";
import { DynamoRecipientStore, getCampaign, startCampaignSend } from "@/lib/db/campaigns-repo";
import { ConflictError, NotFoundError } from "@/lib/errors";

// No "server-only": scripts (seed, bench) may send campaigns under tsx.

/**
 * Sends (or resumes) a campaign: draft|paused → sending plus an outbox row in one transaction, then relays
 * the outbox at once. If the relay fails here the row stays pending and the next sweep delivers it.
 * @throws NotFoundError; ConflictError when the campaign is not draft or paused; Unauthorized/ForbiddenError.
 */
export async function sendCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { campaignId: string };
}): Promise<{ campaignId: string; outboxId: string; status: CampaignStatus }> {
  requireScope(ctx, "write");
  const outboxId = `ob_${randomUUID()}`;
  await startCampaignSend(input.campaignId, outboxId);
  try {
    await relayOutbox(requestCampaignSend);
  } catch (error) {
    console.error(`[campaigns] relay after send of ${input.campaignId} failed; the sweep will retry`, error);
  }
  return { campaignId: input.campaignId, outboxId, status: "sending" };
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
  const store = new DynamoRecipientStore();
  if (await store.setCampaignStatus(input.campaignId, "paused", ["sending"])) return;
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
