/**
 * Event names on their own, free of the Inngest SDK: the in-process runner and the standalone campaign worker
 * need only the name, and loading the SDK would slow every worker start.
 */
export const CAMPAIGN_SEND_REQUESTED = "campaign/send.requested";
