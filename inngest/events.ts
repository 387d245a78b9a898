import { eventType } from "inngest";

import { SendRequestedData } from "@/lib/campaigns/schemas";

/** Emitted by the outbox relay when a campaign is sent (or resumed); one fan-out run per outbox row. */
export const campaignSendRequested = eventType("campaign/send.requested", { schema: SendRequestedData });
