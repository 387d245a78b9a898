import { describe, expect, it } from "vitest";

import { GET as summaryRoute } from "@/app/api/analytics/route";
import { getLocalRunner } from "@/inngest/local-runner";
import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { messageIdFor } from "@/lib/attribution/attribute";
import { submitPublicRegistration } from "@/lib/attribution/public-form";
import { sendCampaign } from "@/lib/campaigns/send-campaign";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";
import { listRegistrations } from "@/lib/db/registrations-repo";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { trackClick, trackOpen } from "@/lib/tracking/track";
import { makeEvent, makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

/*
 * The funnel through the campaign engine's own verbs: sendCampaign fans out through the outbox and the
 * in-process runner into the SES emulator (queued/sent are added to the rollups with the recipient writes), opens and clicks go
 * through the tracking verbs behind /o and /r using the links found in the delivered emails, and visitors
 * register on the public page with the landing URL's UTM values and token. SES emits no delivery or bounce
 * notifications and Rally has no notification endpoint yet, so those go through the ingest verb with the
 * ids a notification handler would use.
 */

const fx = setupIntegration();
const HUMAN = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

describe("campaign funnel through the engine", () => {
  it("counts sends, deliveries, opens, clicks and attributed registrations exactly once", async () => {
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    await ses.clear();
    const owner = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { slug: `engine-${Date.now()}`, maxCapacity: 100 });
    const users = await Promise.all(Array.from({ length: 5 }, () => makeUser(fx.ctx)));
    const campaignId = `fun-${Date.now()}`;
    await createCampaignRecord({
      id: campaignId,
      name: "Engine funnel",
      subject: "Come along, {{firstName|friend}}",
      body: `Save your spot: https://rally.test/e/${event.slug}`,
      utm: { source: "rally", medium: "email", campaign: "engine-funnel" },
      eventId: event.id,
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients(
      campaignId,
      users.map((u) => ({ recipientId: u.id, email: u.email, firstName: u.firstName })),
    );
    await sendCampaign({ ctx: fx.ctx, input: { campaignId } });
    await getLocalRunner().idle();
    expect(getLocalRunner().errors).toEqual([]);

    const emails = await ses.emails();
    expect(emails).toHaveLength(5);
    const byAddress = new Map(emails.map((e) => [e.destination.to[0]!.toLowerCase(), e]));
    const linksOf = (u: (typeof users)[number]) => {
      const mail = byAddress.get(u.email.toLowerCase())!;
      const all = `${mail.body.text ?? ""}\n${mail.body.html ?? ""}`;
      return {
        click: /\/r\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(all)?.[1],
        open: /\/o\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(all)?.[1],
      };
    };

    // Delivery notifications: 4 delivered, 1 bounced (ids as an SES notification handler would derive them).
    for (const [i, u] of users.entries()) {
      await recordMessageEvent({
        eventId: `ses:${campaignId}:${u.id}:${i < 4 ? "delivery" : "bounce"}`,
        campaignId,
        recipientId: u.id,
        messageId: messageIdFor(campaignId, u.id),
        type: i < 4 ? "delivered" : "bounced",
        at: new Date().toISOString(),
        utm: { source: "rally", medium: "email", campaign: "engine-funnel" },
        eventIdOfEvent: event.id,
      });
    }

    const later = new Date(Date.now() + 5 * 60_000);
    const opens = users.slice(0, 3).map((u) => linksOf(u).open);
    expect(opens.every(Boolean), "every email carries an open pixel").toBe(true);
    for (const token of opens)
      expect(await trackOpen({ token: token!, userAgent: HUMAN, at: later })).toBe(true);
    const landings: URL[] = [];
    for (const u of users.slice(0, 2)) {
      const token = linksOf(u).click!;
      const location = await trackClick({ token, userAgent: HUMAN, at: later });
      expect(location).not.toBeNull();
      const landing = new URL(location!);
      expect(landing.searchParams.get("utm_campaign")).toBe("engine-funnel");
      landing.searchParams.set("rt", token);
      landings.push(landing);
    }
    for (const [i, landing] of landings.entries()) {
      const u = users[i]!;
      const form = new FormData();
      form.set("slug", event.slug);
      form.set("firstName", u.firstName);
      form.set("lastName", u.lastName);
      form.set("email", u.email);
      for (const [k, v] of landing.searchParams) form.set(k, v);
      const back = await submitPublicRegistration(form);
      expect(new URL(back, "http://x").searchParams.get("status")).toBe("registered");
    }
    const regs = (await listRegistrations(event.id, { limit: 10 })).items;
    expect(regs.map((r) => r.campaignId)).toEqual([campaignId, campaignId]);

    const read = async () =>
      (await call(summaryRoute, "GET", `/api/analytics?campaignId=${campaignId}`, {}, { key: fx.readKey }))
        .body;
    const expected = {
      sent: 5,
      failed: 0,
      pending: 0,
      delivered: 4,
      bounced: 1,
      opened: 3,
      uniqueOpened: 3,
      clicked: 2,
      uniqueClicked: 2,
      registered: 2,
    };
    expect((await read()).summary).toMatchObject(expected);
    const byEvent = await call(
      summaryRoute,
      "GET",
      `/api/analytics?eventId=${event.id}&utm_source=rally`,
      {},
      {
        key: fx.readKey,
      },
    );
    expect(byEvent.body.summary).toMatchObject(expected);

    // The outbox event delivered again re-runs the fan-out: nothing is sent or counted twice. The same SES
    // notifications delivered again change nothing either.
    await getLocalRunner().send({
      name: "campaign/send.requested",
      data: { campaignId, outboxId: `redelivered-${campaignId}` },
    });
    await getLocalRunner().idle();
    expect(await ses.emails()).toHaveLength(5);
    for (const [i, u] of users.entries()) {
      const base = { campaignId, recipientId: u.id, at: new Date().toISOString(), eventIdOfEvent: event.id };
      expect(
        (
          await recordMessageEvent({
            ...base,
            eventId: `ses:${campaignId}:${u.id}:${i < 4 ? "delivery" : "bounce"}`,
            type: i < 4 ? "delivered" : "bounced",
          })
        ).counted,
      ).toBe(false);
    }
    expect((await read()).summary).toMatchObject(expected);
  });
});
