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
    await inngest.send(campaignSendRequested.create(data));
    return;
  }
  await getLocalRunner().send({ name: campaignSendRequested.name, data });
}
