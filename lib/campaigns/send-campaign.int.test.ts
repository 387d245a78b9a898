import { describe, expect, it } from "vitest";

import { getLocalRunner } from "@/inngest/local-runner";
import { resolveClick } from "@/lib/campaigns/links";
import { getCampaignProgress, pauseCampaign, sendCampaign } from "@/lib/campaigns/send-campaign";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { makeEvent, makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();

describe("sendCampaign through the outbox and the in-process runner", () => {
  it("delivers every frozen recipient once and reports progress", async () => {
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    await ses.clear();
    await createCampaignRecord({
      id: "verb-1",
      name: "Launch",
      subject: "Hi {{firstName|there}}",
      body: "Details: https://events.test/launch",
      utm: { source: "rally", medium: "email", campaign: "launch" },
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients(
      "verb-1",
      Array.from({ length: 12 }, (_, i) => ({
        recipientId: `u${i}`,
        email: `v${i}@example.com`,
        firstName: `N${i}`,
      })),
    );

    const readOnly = { actor: { kind: "api_key" as const, keyId: "k", scopes: ["read" as const] } };
    await expect(sendCampaign({ ctx: readOnly, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const sent = await sendCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } });
    expect(sent.status).toBe("sending");
    await expect(sendCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await getLocalRunner().idle();
    expect(getLocalRunner().errors).toEqual([]);

    const emails = await ses.emails();
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `v${i}@example.com`).sort(),
    );
    const progress = await getCampaignProgress({ ctx: fx.ctx, input: { campaignId: "verb-1" } });
    expect(progress).toMatchObject({
      status: "completed",
      recipientCount: 12,
      counts: { sent: 12, pending: 0 },
    });
    await expect(pauseCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(pauseCampaign({ ctx: fx.ctx, input: { campaignId: "nope" } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe("a campaign that promotes an event", () => {
  it("renders {{event.title}} and {{event.url}} from the event frozen at send", async () => {
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    await ses.clear();
    const owner = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { title: "Spring Meetup" });
    await createCampaignRecord({
      id: "verb-event",
      name: "Meetup invite",
      subject: "Join {{event.title}}",
      body: "Save your spot: {{event.url}}",
      utm: { source: "rally", medium: "email", campaign: "spring" },
      eventId: event.id,
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients("verb-event", [{ recipientId: "e1", email: "guest@example.com", firstName: "G" }]);

    await sendCampaign({ ctx: fx.ctx, input: { campaignId: "verb-event" } });
    await getLocalRunner().idle();

    const [email] = await ses.emails();
    expect(email?.subject).toBe("Join Spring Meetup");
    // The event link is tracked; following it lands on the public page with the click token for attribution.
    const tracked = /\/r\/([A-Za-z0-9._-]+)/.exec(email?.body.text ?? "")?.[1];
    expect(tracked).toBeDefined();
    const location = new URL(resolveClick(tracked ?? "")?.location ?? "");
    expect(location.pathname).toBe(`/e/${event.slug}`);
    expect(location.searchParams.get("rt")).toBe(tracked);
  });
});
