import { countAudience } from "@/lib/campaigns/resolve-recipients";
import { getCampaignOrThrow, listCampaignRecords, type StoredCampaign } from "@/lib/db/campaigns-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { type CampaignRecipient, type ProgressCounts } from "@/lib/campaigns/recipient-store";
import { type RecipientStatus } from "@/lib/campaigns/schemas";
import { type Ctx, requireScope } from "@/lib/context";
import { type Page } from "@/lib/db/cursor";

export interface CampaignProgressView {
  /** Waiting to be sent or in flight (pending + sending). */
  queued: number;
  sent: number;
  failed: number;
  suppressed: number;
  skipped: number;
  /** In flight when a worker died or the answer was lost: may or may not have been delivered. */
  unknown: number;
  /** Failure reasons with counts, most frequent first. */
  failureReasons: { reason: string; count: number }[];
}

export interface CampaignView extends StoredCampaign {
  progress?: CampaignProgressView;
  /** Drafts: how many users the audience matches now (what sending would freeze). */
  audienceCount?: number;
}

const MAX_REASON_SCAN = 2_000;

async function progressOf(campaignId: string): Promise<CampaignProgressView> {
  const store = new DynamoRecipientStore();
  const counts: ProgressCounts = await store.progress(campaignId);
  const reasons = new Map<string, number>();
  if (counts.failed > 0) {
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await store.listRecipients(campaignId, { status: "failed", limit: 200, cursor });
      for (const r of page.items)
        reasons.set(r.reason ?? "unknown", (reasons.get(r.reason ?? "unknown") ?? 0) + 1);
      seen += page.items.length;
      cursor = page.cursor;
    } while (cursor && seen < MAX_REASON_SCAN);
  }
  return {
    queued: counts.pending + counts.sending,
    sent: counts.sent,
    failed: counts.failed,
    suppressed: counts.suppressed,
    skipped: counts.skipped,
    unknown: counts.unknown,
    failureReasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count),
  };
}

/**
 * One campaign with live delivery progress (sent campaigns) or the audience's current size (drafts).
 * @throws NotFoundError; Unauthorized/ForbiddenError.
 */
export async function getCampaignView({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string };
}): Promise<CampaignView> {
  requireScope(ctx, "read");
  const campaign = await getCampaignOrThrow(input.id);
  if (campaign.status === "draft") {
    return campaign.audience
      ? { ...campaign, audienceCount: await countAudience(campaign.audience) }
      : campaign;
  }
  return { ...campaign, progress: await progressOf(campaign.id) };
}

/**
 * Campaigns, newest first.
 * @throws ValidationError on a bad cursor; Unauthorized/ForbiddenError.
 */
export async function listCampaigns({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { limit: number; cursor?: string };
}): Promise<Page<StoredCampaign>> {
  requireScope(ctx, "read");
  return listCampaignRecords(input);
}

export type RecipientRow = Pick<
  CampaignRecipient,
  | "recipientId"
  | "email"
  | "firstName"
  | "lastName"
  | "status"
  | "attempts"
  | "reason"
  | "providerMessageId"
  | "sentAt"
  | "updatedAt"
>;

/**
 * Per-recipient delivery status, in recipient id order, optionally one status only (for the dashboard).
 * @throws NotFoundError; Unauthorized/ForbiddenError.
 */
export async function listCampaignRecipients({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; limit: number; cursor?: string; status?: RecipientStatus };
}): Promise<{ items: RecipientRow[]; nextCursor: string | null }> {
  requireScope(ctx, "read");
  await getCampaignOrThrow(input.id);
  const page = await new DynamoRecipientStore().listRecipients(input.id, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
    ...(input.status ? { status: input.status } : {}),
  });
  return {
    items: page.items.map((r) => ({
      recipientId: r.recipientId,
      email: r.email,
      ...(r.firstName ? { firstName: r.firstName } : {}),
      ...(r.lastName ? { lastName: r.lastName } : {}),
      status: r.status,
      attempts: r.attempts,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.providerMessageId ? { providerMessageId: r.providerMessageId } : {}),
      ...(r.sentAt ? { sentAt: r.sentAt } : {}),
      updatedAt: r.updatedAt,
    })),
    nextCursor: page.cursor ?? null,
  };
}
