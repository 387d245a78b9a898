import { describe, expect, it } from "vitest";

import { deliveryRollupItems } from "@/lib/campaigns/analytics-sink";
import { type CampaignSnapshot } from "@/lib/campaigns/recipient-store";

const campaign: CampaignSnapshot = {
  id: "camp_1",
  name: "Launch",
  status: "sending",
  subject: "s",
  body: "b",
  utm: { source: "Rally", medium: "email", campaign: "launch" },
  eventId: "evt_9",
  recipientCount: 2,
};

describe("deliveryRollupItems", () => {
  const at = Date.parse("2026-05-01T10:17:00Z");

  it("adds each non-zero count to the campaign's row, in total and in the hour of the write", () => {
    const [item, ...rest] = deliveryRollupItems(campaign, { queued: 0, sent: 48, failed: 2 }, at);
    expect(rest).toEqual([]);
    const update = item!.Update!;
    const names = update.ExpressionAttributeNames!;
    const values = update.ExpressionAttributeValues!;
    const added = Object.fromEntries(
      [...update.UpdateExpression!.split(" ADD ")[1]!.matchAll(/(#\w+) (:\w+)/g)].map((m) => [
        names[m[1]!],
        values[m[2]!],
      ]),
    );
    expect(added).toEqual({ c_sent: 48, h_sent_10: 48, c_failed: 2, h_failed_10: 2 });
    expect(values).toMatchObject({
      ":day": "2026-05-01",
      ":cid": "camp_1",
      ":eid": "evt_9",
      ":src": "rally",
      ":cmp": "launch",
    });
  });

  it("writes nothing when nothing counts", () => {
    expect(deliveryRollupItems(campaign, { queued: 0 }, at)).toEqual([]);
    expect(deliveryRollupItems(campaign, {}, at)).toEqual([]);
  });
});
