import { describe, expect, it } from "vitest";

import { MessageEventInput } from "@/lib/analytics/schemas";
import { toMessageEvents } from "@/lib/campaigns/analytics-sink";
import { type CampaignSnapshot } from "@/lib/campaigns/recipient-store";

const campaign: CampaignSnapshot = {
  id: "camp_1",
  name: "Launch",
  status: "sending",
  subject: "s",
  body: "b",
  utm: { source: "rally", medium: "email", campaign: "launch" },
  eventId: "evt_9",
  recipientCount: 2,
};

describe("toMessageEvents", () => {
  it("maps counted delivery events to valid, stable ingest events", () => {
    const at = Date.parse("2026-05-01T10:00:00Z");
    const out = toMessageEvents(
      [
        { campaignId: "camp_1", recipientId: "u1", type: "queued", at },
        { campaignId: "camp_1", recipientId: "u1", type: "sent", at, providerMessageId: "ses-1" },
        { campaignId: "camp_1", recipientId: "u2", type: "throttled", at },
        { campaignId: "camp_1", recipientId: "u2", type: "retrying", at },
        { campaignId: "camp_1", recipientId: "u2", type: "failed", at, reason: "MESSAGE_REJECTED" },
        { campaignId: "camp_1", recipientId: "u3", type: "unknown", at },
        { campaignId: "camp_1", type: "campaign_completed", at },
      ],
      campaign,
    );
    expect(out.map((e) => e.eventId)).toEqual(["camp_1:u1:queued", "camp_1:u1:sent", "camp_1:u2:failed"]);
    for (const e of out) expect(MessageEventInput.parse(e)).toEqual(e);
    expect(out[1]).toMatchObject({
      messageId: "camp_1:u1",
      utm: { source: "rally", medium: "email", campaign: "launch" },
      eventIdOfEvent: "evt_9",
      at: "2026-05-01T10:00:00.000Z",
    });
  });
});
