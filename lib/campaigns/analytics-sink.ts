import { dimsOf } from "@/lib/analytics/rollup";
import { markRollupsDirty } from "@/lib/analytics/rollup-store";
import { type Counter } from "@/lib/analytics/schemas";
import { dayKey, hourOfDay } from "@/lib/analytics/time";
import { type CampaignSnapshot } from "@/lib/campaigns/recipient-store";
import { type DeliveryAnalytics, type DeliveryCounts } from "@/lib/db/campaign-recipients-repo";
import { rollupAddItem } from "@/lib/db/analytics-repo";
import { type TxItem } from "@/lib/db/transact";

// No "server-only": the standalone campaign runner (tsx) records analytics too.

/**
 * The rollup increments of one recipient chunk write: queued (a recipient's first claim), sent and failed, on
 * the campaign's row for the write's day and hour. `unknown` counts as neither sent nor failed, matching the
 * campaign page. Opens, clicks, deliveries and bounces arrive later through the ingest verb
 * (lib/analytics/record-message-event.ts) with their own dedupe.
 */
export function deliveryRollupItems(
  campaign: CampaignSnapshot,
  counts: DeliveryCounts,
  at: number,
): TxItem[] {
  const adds = (Object.entries(counts) as [Counter, number | undefined][]).filter(
    (entry): entry is [Counter, number] => (entry[1] ?? 0) > 0,
  );
  if (adds.length === 0) return [];
  const dims = dimsOf({
    campaignId: campaign.id,
    utm: campaign.utm,
    ...(campaign.eventId ? { eventIdOfEvent: campaign.eventId } : {}),
  });
  return [rollupAddItem({ day: dayKey(at), hour: hourOfDay(at), dims, counts: adds }, new Date(at))];
}

/** The app's DeliveryAnalytics: rollup rows written with the chunks, this process's copy marked stale. */
export const campaignDeliveryAnalytics: DeliveryAnalytics = {
  items: deliveryRollupItems,
  written: markRollupsDirty,
};
