import { inngestConfigured } from "@/inngest/client";
import { requestCampaignSend } from "@/inngest/dispatch";
import { relayOutbox, resumeSendingCampaigns } from "@/lib/campaigns/outbox-relay";

/**
 * For the in-process executor only (no Inngest configured): resumes campaigns a dead process left in
 * `sending`, relays pending outbox rows now and every `sweepMs`. Call once at server start; returns a stop
 * function. With Inngest configured it does nothing (the `outbox-relay` cron function sweeps instead).
 */
export function startLocalCampaignWorker({ sweepMs = 5_000 } = {}): () => void {
  if (inngestConfigured()) return () => undefined;
  const sweep = () =>
    relayOutbox(requestCampaignSend).catch((error: unknown) =>
      console.error("[campaigns] outbox sweep failed", error),
    );
  void resumeSendingCampaigns(requestCampaignSend)
    .catch((error: unknown) => console.error("[campaigns] resume failed", error))
    .then(sweep);
  const timer = setInterval(sweep, sweepMs);
  timer.unref();
  return () => clearInterval(timer);
}
