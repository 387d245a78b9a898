import { describe, expect, it } from "vitest";

import { clickUrl, openPixelUrl, unsubscribeUrl } from "@/lib/campaigns/links";
import { createCampaignRecord, freezeRecipients, startCampaignSend } from "@/lib/db/campaigns-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { trackClick, trackOpen, unsubscribe } from "@/lib/tracking/track";
import { setupIntegration } from "@/test/integration";

setupIntegration();

const APP = "http://localhost:3000";
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

async function campaign(id: string) {
  await createCampaignRecord({
    id,
    name: "Launch",
    subject: "s",
    body: "b",
    utm: { source: "rally", medium: "email", campaign: "launch" },
    eventId: "evt_1",
    createdAt: new Date().toISOString(),
  });
  await freezeRecipients(id, [{ recipientId: "u1", email: "Ada@Example.com" }]);
  await startCampaignSend(id, `ob-${id}`);
}

describe("tracking verbs", () => {
  it("records opens and clicks, redirects only for signed tokens", async () => {
    await campaign("track-1");
    const ids = { campaignId: "track-1", recipientId: "u1" };
    const open = tokenOf(openPixelUrl(ids, APP));
    expect(await trackOpen({ token: open, userAgent: "Mozilla/5.0" })).toBe(true);
    expect(await trackOpen({ token: open.slice(0, -1) + (open.endsWith("A") ? "B" : "A") })).toBe(false);

    const click = tokenOf(
      clickUrl(
        {
          ...ids,
          linkIndex: 1,
          url: "https://x.test/?a=1#f",
          utm: { source: "rally", medium: "email", campaign: "launch", content: "link-1" },
        },
        APP,
      ),
    );
    expect(
      await trackClick({ token: click, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0" }),
    ).toBe("https://x.test/?a=1&utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-1#f");
    expect(await trackClick({ token: open })).toBeNull();
    expect(await trackClick({ token: "not-a-token" })).toBeNull();
  });

  it("one-click unsubscribe suppresses the address for every later campaign", async () => {
    await campaign("track-2");
    const token = tokenOf(unsubscribeUrl({ campaignId: "track-2", recipientId: "u1" }, APP));
    expect(await unsubscribe({ token })).toBe(true);
    expect(await unsubscribe({ token })).toBe(true);
    expect(await unsubscribe({ token: token + "x" })).toBe(false);
    expect(
      await unsubscribe({
        token: tokenOf(unsubscribeUrl({ campaignId: "track-2", recipientId: "nobody" }, APP)),
      }),
    ).toBe(false);
    const store = new DynamoRecipientStore();
    expect(await store.isSuppressed(["ada@example.com", "other@example.com"])).toEqual(
      new Set(["ada@example.com"]),
    );
  });
});
