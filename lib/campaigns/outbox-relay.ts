import { type SendRequestedData } from "@/lib/campaigns/schemas";
import { listPendingOutbox, listSendingCampaignIds, markOutboxDispatched } from "@/lib/db/campaigns-repo";

// No "server-only": the standalone campaign runner (tsx) relays too.

export type Dispatch = (data: SendRequestedData) => Promise<void>;

/**
 * Hands pending outbox rows to `dispatch` (Inngest or the local runner), then marks them dispatched.
 * At-least-once: a crash between the two re-dispatches the row, which the fan-out's idempotency key and
 * conditional claims make harmless. Returns how many rows were dispatched.
 * @throws whatever dispatch throws; the row then stays pending for the next sweep.
 */
export async function relayOutbox(dispatch: Dispatch, limit = 25): Promise<number> {
  let count = 0;
  for (const row of await listPendingOutbox(limit)) {
    await dispatch({ campaignId: row.campaignId, outboxId: row.id });
    if (await markOutboxDispatched(row.id)) count++;
  }
  return count;
}

/**
 * Re-emits `campaign/send.requested` for every campaign still `sending`, for an executor without durable
 * runs (the in-process runner) after a restart. Each resume gets its own outbox id; claims make overlap with
 * a live run safe.
 */
export async function resumeSendingCampaigns(dispatch: Dispatch, now = Date.now()): Promise<string[]> {
  const ids = await listSendingCampaignIds();
  for (const campaignId of ids) await dispatch({ campaignId, outboxId: `resume-${campaignId}-${now}` });
  return ids;
}
