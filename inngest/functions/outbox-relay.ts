import { cron } from "inngest";

import { inngest } from "@/inngest/client";
import { campaignSendRequested } from "@/inngest/events";
import { relayOutbox } from "@/lib/campaigns/outbox-relay";

/** Sweeps outbox rows whose immediate relay (in sendCampaign) failed; at-least-once, deduped downstream. */
export const outboxRelay = inngest.createFunction(
  { id: "outbox-relay", triggers: [cron("* * * * *")], concurrency: [{ limit: 1 }], retries: 3 },
  async ({ step }) =>
    step.run("relay", () =>
      relayOutbox(async (data) => {
        await inngest.send(campaignSendRequested.create(data, { id: data.outboxId }));
      }),
    ),
);
