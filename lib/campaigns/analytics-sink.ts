import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { messageIdFor } from "@/lib/attribution/attribute";
import { type MessageEventInput } from "@/lib/analytics/schemas";
import { mapWithConcurrency } from "@/lib/campaigns/concurrency";
import { type CampaignSnapshot, type StatusEvent } from "@/lib/campaigns/recipient-store";

// No "server-only": the standalone campaign runner (tsx) records analytics too.

/** Delivery events the analytics rollups count; the rest (throttled, retrying, …) stay on the recipient rows. */
const COUNTED = new Set(["queued", "sent", "failed"]);

/**
 * Maps fan-out status events to analytics ingest events. Ids are stable per recipient and type, so a
 * re-run, a retried step or several attempts of one recipient count once (queued once, then sent or failed).
 * `unknown` counts as neither sent nor failed and is reported as nothing here: it leaves `pending` > 0 on
 * purpose, matching the campaign page's unknown count.
 */
export function toMessageEvents(
  events: StatusEvent[],
  campaign: CampaignSnapshot | null,
): MessageEventInput[] {
  return events
    .filter((e) => e.recipientId && COUNTED.has(e.type))
    .map((e) => ({
      eventId: `${e.campaignId}:${e.recipientId}:${e.type}`,
      campaignId: e.campaignId,
      recipientId: e.recipientId,
      // Rally's message id (shared with opens, clicks and registrations), not SES's.
      messageId: messageIdFor(e.campaignId, e.recipientId!),
      type: e.type as "queued" | "sent" | "failed",
      at: new Date(e.at).toISOString(),
      ...(campaign ? { utm: { ...campaign.utm } } : {}),
      ...(campaign?.eventId ? { eventIdOfEvent: campaign.eventId } : {}),
    }));
}

/**
 * `onStatusEvents` for DynamoRecipientStore: feeds the analytics rollups through their idempotent ingest verb.
 * @throws ZodError / UnavailableError from recordMessageEvent (the step then retries; ingest dedupes).
 */
export async function recordCampaignAnalytics(
  events: StatusEvent[],
  campaign: CampaignSnapshot | null,
): Promise<void> {
  await mapWithConcurrency(toMessageEvents(events, campaign), 8, (input) => recordMessageEvent(input));
}
