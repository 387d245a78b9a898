import { inngest, inngestConfigured } from "@/inngest/client";
import { campaignSendRequested } from "@/inngest/events";
import { getLocalRunner } from "@/inngest/local-runner";
import { type SendRequestedData } from "@/lib/campaigns/schemas";

/**
 * Emits `campaign/send.requested` to Inngest when a server is configured, else to the in-process runner.
 * @throws whatever inngest.send throws (no event key in cloud mode, unreachable server).
 */
export async function requestCampaignSend(data: SendRequestedData): Promise<void> {
  if (inngestConfigured()) {
    // Event id = outbox id: Inngest drops a re-relayed row as a duplicate event (24 h window).
    await inngest.send(campaignSendRequested.create(data, { id: data.outboxId }));
    return;
  }
  await getLocalRunner().send({ name: campaignSendRequested.name, data });
}
