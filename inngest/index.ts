import { campaignFanout } from "@/inngest/functions/campaign-fanout";

/** Every Inngest function the app serves. */
export const functions = [campaignFanout];
