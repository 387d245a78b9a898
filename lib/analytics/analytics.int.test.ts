import { describe, expect, it } from "vitest";

import { GET as summaryRoute } from "@/app/api/analytics/route";
import { GET as breakdownRoute } from "@/app/api/analytics/breakdown/route";
import { GET as engagementRoute } from "@/app/api/analytics/engagement/route";
import { GET as timeseriesRoute } from "@/app/api/analytics/timeseries/route";
import { POST as registerRoute } from "@/app/api/events/[id]/register/route";
import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { resetRollupStore } from "@/lib/analytics/rollup-store";
import { type MessageEventInput } from "@/lib/analytics/schemas";
import { messageIdFor } from "@/lib/attribution/attribute";
import { registerFromPublicPage } from "@/lib/attribution/register-from-page";
import { clickUrl, resolveClick } from "@/lib/campaigns/links";
import { listRegistrations } from "@/lib/db/registrations-repo";
import { type User } from "@/lib/users/schemas";
import { makeEvent, makeUser } from "@/test/factories";
import { apiRequest, call, setupIntegration } from "@/test/integration";

/*
 * The UTM funnel end to end against the DynamoDB stand-in: status events go through the real ingest verb
 * (driven here the way the campaign fan-out reports them — the engine's verbs were not committed yet),
 * click links are real signed tokens resolved by lib/campaigns/links, registrations go through the public
 * page verb and the API route, and every read goes through the HTTP route handlers.
 */

const fx = setupIntegration();

const CAMPAIGN = "cmp-spring";
const UTM = { source: "newsletter", medium: "email", campaign: "spring-launch" };

let seq = 0;
function status(
  type: MessageEventInput["type"],
  user: User,
  extra: Partial<MessageEventInput> = {},
): MessageEventInput {
  return {
    eventId: `st-${++seq}`,
    campaignId: CAMPAIGN,
    recipientId: user.id,
    messageId: messageIdFor(CAMPAIGN, user.id),
    type,
    at: new Date().toISOString(),
    utm: UTM,
    ...extra,
  };
}

async function summary(query = "") {
  return call(summaryRoute, "GET", `/api/analytics${query}`, {}, { key: fx.readKey });
}

describe("analytics funnel", () => {
  it("counts exactly what was done, once", async () => {
    const owner = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { slug: `spring-${Date.now()}`, maxCapacity: 50 });
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser(fx.ctx)));
    const withEvent = { eventIdOfEvent: event.id };

    // Fan-out: all 6 queued, 5 sent, 1 failed.
    for (const u of users) await recordMessageEvent(status("queued", u, withEvent));
    for (const u of users.slice(0, 5)) await recordMessageEvent(status("sent", u, withEvent));
    await recordMessageEvent(status("failed", users[5]!, withEvent));
    // SES notifications: 4 delivered, 1 bounced, 1 complaint.
    for (const u of users.slice(0, 4)) await recordMessageEvent(status("delivered", u, withEvent));
    await recordMessageEvent(status("bounced", users[4]!, withEvent));
    await recordMessageEvent(status("complained", users[3]!, withEvent));
    // Opens: user0 twice (1 unique), user1 via Apple's proxy (excluded), user2 by a scanner bot (excluded).
    await recordMessageEvent(status("opened", users[0]!, withEvent));
    await recordMessageEvent(status("opened", users[0]!, withEvent));
    await recordMessageEvent(status("opened", users[1]!, { ...withEvent, flags: { privacyProxy: true } }));
    await recordMessageEvent(status("opened", users[2]!, { ...withEvent, flags: { bot: true } }));
    await recordMessageEvent(status("unsubscribed", users[3]!, withEvent));

    // Clicks through real tracked links; users 0–2 click, user0 twice, plus one bot click on user3's link.
    const links = users.map((u) =>
      clickUrl({
        campaignId: CAMPAIGN,
        recipientId: u.id,
        linkIndex: 1,
        url: `http://127.0.0.1/e/${event.slug}`,
        utm: UTM,
      }),
    );
    const landings = new Map<string, URL>();
    for (const i of [0, 0, 1, 2, 3]) {
      const token = links[i]!.split("/r/")[1]!;
      const resolved = resolveClick(token);
      expect(resolved).not.toBeNull();
      const landing = new URL(resolved!.location);
      landing.searchParams.set("rt", token);
      landings.set(users[i]!.id, landing);
      await recordMessageEvent(
        status("clicked", users[i]!, { ...withEvent, ...(i === 3 ? { flags: { bot: true } } : {}) }),
      );
    }

    // Users 0 and 1 register on the public page with the carried UTM values and token.
    for (const u of users.slice(0, 2)) {
      const landing = landings.get(u.id)!;
      const result = await registerFromPublicPage({
        ctx: fx.ctx,
        input: {
          slug: event.slug,
          firstName: u.firstName,
          lastName: u.lastName,
          email: u.email.toUpperCase(),
          utm_source: landing.searchParams.get("utm_source") ?? undefined,
          utm_medium: landing.searchParams.get("utm_medium") ?? undefined,
          utm_campaign: landing.searchParams.get("utm_campaign") ?? undefined,
          rt: landing.searchParams.get("rt") ?? undefined,
        },
      });
      expect(result.status).toBe("registered");
    }
    // User 2 registers through the API with the same attribution fields.
    const api = await call(
      registerRoute,
      "POST",
      `/api/events/${event.id}/register`,
      { id: event.id },
      {
        key: fx.writeKey,
        body: {
          userId: users[2]!.id,
          utm: UTM,
          campaignToken: landings.get(users[2]!.id)!.searchParams.get("rt"),
        },
      },
    );
    expect(api.status).toBe(201);
    expect(api.body).toMatchObject({ campaignId: CAMPAIGN, messageId: messageIdFor(CAMPAIGN, users[2]!.id) });
    // A stranger arrives from a tweet, no token: counted for the event and twitter, not the campaign.
    const direct = await registerFromPublicPage({
      ctx: fx.ctx,
      input: {
        slug: event.slug,
        firstName: "Grace",
        lastName: "Hopper",
        email: `grace.${Date.now()}@example.com`,
        utm_source: "Twitter",
        rt: "forged.token",
      },
    });
    expect(direct, JSON.stringify(direct)).toMatchObject({ status: "registered" });

    const regs = (await listRegistrations(event.id, { limit: 50 })).items;
    const byUser = new Map(regs.map((r) => [r.userId, r]));
    expect(byUser.get(users[0]!.id)).toMatchObject({
      source: "public",
      utm: UTM,
      campaignId: CAMPAIGN,
      messageId: messageIdFor(CAMPAIGN, users[0]!.id),
    });
    const stranger = regs.find((r) => r.utm?.source === "Twitter")!;
    expect(stranger.campaignId).toBeUndefined();

    const expected = {
      sent: 5,
      failed: 1,
      pending: 0,
      delivered: 4,
      bounced: 1,
      complained: 1,
      opened: 4,
      uniqueOpened: 1,
      clicked: 5,
      uniqueClicked: 3,
      unsubscribed: 1,
      registered: 3,
      botOpened: 1,
      proxyOpened: 1,
      botClicked: 1,
      proxyClicked: 0,
    };
    const byCampaign = await summary(`?campaignId=${CAMPAIGN}`);
    expect(byCampaign.status).toBe(200);
    expect(byCampaign.body.summary).toEqual(expected);
    expect(byCampaign.body.rates).toMatchObject({
      deliveryRate: 0.8,
      openRate: 0.25,
      clickRate: 0.75,
      clickToRegistrationRate: 1,
    });
    expect(byCampaign.body.excluded).toEqual({
      botOpened: 1,
      proxyOpened: 1,
      botClicked: 1,
      proxyClicked: 0,
    });

    const all = await summary();
    expect(all.body.summary).toEqual({ ...expected, registered: 4 });
    const twitter = await summary("?utm_source=twitter");
    expect(twitter.body.summary).toMatchObject({ sent: 0, registered: 1 });
    expect((await summary(`?eventId=${event.id}&utm_source=twitter`)).body.summary.registered).toBe(1);

    // Redelivery of an already counted status event (same id) changes nothing, not even the unique counts.
    const again = status("opened", users[0]!, withEvent);
    expect((await recordMessageEvent(again)).counted).toBe(true);
    expect(await recordMessageEvent(again)).toEqual({ counted: false, firstSeen: false });
    const afterReplay = await summary(`?campaignId=${CAMPAIGN}`);
    expect(afterReplay.body.summary).toEqual({ ...expected, opened: 5 });
    const sameAgain = { ...status("delivered", users[0]!, withEvent), eventId: "ses-dup-1" };
    await recordMessageEvent(sameAgain);
    await recordMessageEvent(sameAgain);
    expect((await summary(`?campaignId=${CAMPAIGN}`)).body.summary.delivered).toBe(5);

    // A cold process (fresh in-memory copy) reads the same numbers from the stored rollups.
    resetRollupStore();
    expect((await summary(`?campaignId=${CAMPAIGN}`)).body.summary).toEqual({
      ...expected,
      opened: 5,
      delivered: 5,
    });

    // Timeseries adds up to the summary; breakdowns split it.
    const series = await call(
      timeseriesRoute,
      "GET",
      `/api/analytics/timeseries?metric=registered&interval=hour`,
      {},
      { key: fx.readKey },
    );
    expect(series.status).toBe(200);
    expect(series.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(4);
    const bySource = await call(
      breakdownRoute,
      "GET",
      "/api/analytics/breakdown?by=utm_source",
      {},
      { key: fx.readKey },
    );
    expect(
      bySource.body.rows.map((r: { key: string; summary: { registered: number } }) => [
        r.key,
        r.summary.registered,
      ]),
    ).toEqual([
      ["newsletter", 3],
      ["twitter", 1],
    ]);
    const csv = await breakdownRoute(
      apiRequest("GET", "/api/analytics/breakdown?by=campaign", {
        key: fx.readKey,
        headers: { accept: "text/csv" },
      }),
    );
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]!.startsWith("campaign,sent,failed,pending,delivered")).toBe(true);
    expect(lines).toContain(lines.find((l) => l.startsWith(`${CAMPAIGN},5,1,0,5,`)));
    expect(lines.some((l) => l.startsWith("(none),0,"))).toBe(true);

    const engagement = await call(
      engagementRoute,
      "GET",
      `/api/analytics/engagement?eventId=${event.id}`,
      {},
      { key: fx.readKey },
    );
    expect(engagement.status).toBe(200);
    expect(engagement.body.events).toEqual([
      {
        eventId: event.id,
        title: event.title,
        startAt: event.startAt,
        registered: 4,
        capacity: 50,
        fillRate: 0.08,
      },
    ]);
    expect(engagement.body.registrationsOverTime[0].eventId).toBe(event.id);
    expect(engagement.body.registrationsOverTime[0].points.at(-1).value).toBe(4);
    expect(engagement.body.topHosts.map((h: { userId: string }) => h.userId)).toContain(owner.id);
  });

  it("gives zeros for unknown campaigns and partial filters that match nothing", async () => {
    const unknown = await summary("?campaignId=does-not-exist&utm_medium=email");
    expect(unknown.status).toBe(200);
    expect(Object.values(unknown.body.summary).every((v) => v === 0)).toBe(true);
    for (const q of ["?utm_source=x", "?utm_medium=x", "?utm_campaign=x", "?utm_source=a&utm_campaign=b"]) {
      const r = await summary(q);
      expect(r.status).toBe(200);
      expect(r.body.summary.sent).toBe(0);
    }
  });

  it("answers 400 problem+json naming the bad parameter", async () => {
    const cases: [typeof summaryRoute, string, string][] = [
      [summaryRoute, "/api/analytics?from=not-a-date", "query.from"],
      [summaryRoute, "/api/analytics?to=2026-13-01", "query.to"],
      [summaryRoute, "/api/analytics?from=2026-11-02&to=2026-11-01", "query.from"],
      [summaryRoute, "/api/analytics?utm_sorce=x", "query.utm_sorce"],
      [breakdownRoute, "/api/analytics/breakdown?by=country", "query.by"],
      [timeseriesRoute, "/api/analytics/timeseries?metric=views", "query.metric"],
      [timeseriesRoute, "/api/analytics/timeseries?metric=sent&interval=week", "query.interval"],
      [
        timeseriesRoute,
        "/api/analytics/timeseries?metric=sent&interval=hour&from=2020-01-01&to=2026-01-01",
        "query.from",
      ],
    ];
    for (const [route, path, field] of cases) {
      const r = await call(route, "GET", path, {}, { key: fx.readKey });
      expect(r.status, path).toBe(400);
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      expect(
        r.body.errors.map((e: { field: string }) => e.field),
        path,
      ).toContain(field);
    }
    expect((await call(summaryRoute, "GET", "/api/analytics", {}, { key: null })).status).toBe(401);
  });
});

describe("public registration", () => {
  it("stores UTM values without a token and refuses a full event", async () => {
    const owner = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { slug: `tiny-${Date.now()}`, maxCapacity: 1 });
    const first = await registerFromPublicPage({
      ctx: fx.ctx,
      input: {
        slug: event.slug,
        firstName: "A",
        lastName: "B",
        email: `a.${Date.now()}@example.com`,
        utm_source: "poster",
        utm_medium: "print",
        utm_campaign: "fall",
        utm_content: "qr",
      },
    });
    expect(first).toMatchObject({ status: "registered" });
    if (first.status === "registered") {
      expect(first.registration.utm).toEqual({
        source: "poster",
        medium: "print",
        campaign: "fall",
        content: "qr",
      });
    }
    const again = await registerFromPublicPage({
      ctx: fx.ctx,
      input: { slug: event.slug, firstName: "C", lastName: "D", email: `c.${Date.now()}@example.com` },
    });
    expect(again.status).toBe("event_full");
    expect((await listRegistrations(event.id, { limit: 5 })).items).toHaveLength(1);
    const bad = await registerFromPublicPage({
      ctx: fx.ctx,
      input: { slug: event.slug, firstName: "", lastName: "B", email: "nope" },
    });
    expect(bad.status).toBe("invalid");
    if (bad.status === "invalid")
      expect(bad.errors.map((e) => e.field).sort()).toEqual(["email", "firstName"]);
  });
});
