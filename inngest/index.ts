import { campaignFanout } from "@/inngest/functions/campaign-fanout";
import { outboxRelay } from "@/inngest/functions/outbox-relay";

/** Every Inngest function the app serves. */
export const functions = [campaignFanout, outboxRelay];
