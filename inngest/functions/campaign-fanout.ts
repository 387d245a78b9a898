import { inngest } from "@/inngest/client";
import { campaignSendRequested } from "@/inngest/events";
import { getFanoutDeps } from "@/lib/campaigns/deps";
import { fanOutCampaign, type FanoutDeps } from "@/lib/campaigns/fanout";

/** The handler both executors run (re-exported so tests and the local runner need no Inngest internals). */
export const campaignFanoutHandler = fanOutCampaign;

/** Builds the Inngest function around `getDeps`; tests pass their own store and mailer. */
export function createCampaignFanout(getDeps: () => Promise<FanoutDeps> = getFanoutDeps) {
  return inngest.createFunction(
    {
      id: "campaign-fanout",
      triggers: [campaignSendRequested],
      // One run per campaign at a time; the claims make overlap safe anyway, this keeps it cheap.
      concurrency: [{ limit: 1, key: "event.data.campaignId" }],
      idempotency: "event.data.outboxId",
      retries: 5,
    },
    async ({ event, step }) => campaignFanoutHandler({ event, step }, await getDeps()),
  );
}

export const campaignFanout = createCampaignFanout();
