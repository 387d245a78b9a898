import { eventType } from "inngest";

import { CAMPAIGN_SEND_REQUESTED } from "@/inngest/event-names";
import { SendRequestedData } from "@/lib/campaigns/schemas";

/** Emitted by the outbox relay when a campaign is sent (or resumed); one fan-out run per outbox row. */
export const campaignSendRequested = eventType(CAMPAIGN_SEND_REQUESTED, { schema: SendRequestedData });
