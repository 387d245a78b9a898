import { beforeAll, describe, expect, it } from "vitest";

import { GET as getCampaigns } from "@/app/api/campaigns/route";
import { POST as sendEmailsRoute } from "@/app/api/emails/send/route";
import { GET as openRoute } from "@/app/o/[token]/route";
import { GET as clickRoute } from "@/app/r/[token]/route";
import { GET as unsubscribePage, POST as unsubscribeRoute } from "@/app/u/[token]/route";
import { getLocalRunner } from "@/inngest/local-runner";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { insertSegment } from "@/lib/db/segments-repo";
import { sesStoreReader, type StoredEmail } from "@/lib/email/test-ses-emulator";
import { type User } from "@/lib/users/schemas";
import { makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

/*
 * POST /api/emails/send in the original request shapes, end to end: audience resolution, the outbox, the
 * in-process runner and the SES emulator; then the tracking and one-click unsubscribe routes on the links
 * the emails really carry.
 */

const fx = setupIntegration();
let acme: User[] = [];
let globex: User[] = [];

beforeAll(async () => {
  acme = await Promise.all([0, 1, 2].map(() => makeUser(fx.ctx, { company: "Acme", jobTitle: "Engineer" })));
  globex = await Promise.all([0, 1].map(() => makeUser(fx.ctx, { company: "Globex", jobTitle: "CTO" })));
  await makeUser(fx.ctx, { company: "Globex", jobTitle: "Intern" });
});

const send = (body: unknown) =>
  call(sendEmailsRoute, "POST", "/api/emails/send", {}, { key: fx.writeKey, body });

async function emailsWithSubject(subject: string): Promise<StoredEmail[]> {
  await getLocalRunner().idle();
  expect(getLocalRunner().errors).toEqual([]);
  return (await sesStoreReader(fx.aws.sesEndpoint).emails()).filter((e) => e.subject === subject);
}

function recipientsOf(emails: StoredEmail[]): string[] {
  return emails.map((e) => e.destination.to[0]!).sort();
}

const addresses = (users: User[]) => users.map((u) => u.email).sort();

describe("POST /api/emails/send", () => {
  it("sends to an explicit userIds list, one email each", async () => {
    const res = await send({
      userIds: [acme[0]!.id, globex[0]!.id, "no-such-user"],
      subject: "By ids",
      body: "Hello {{firstName}}",
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "by-ids",
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ recipients: 2, message: "Queued email to 2 users" });
    expect(res.body.campaignId).toEqual(expect.any(String));
    expect(recipientsOf(await emailsWithSubject("By ids"))).toEqual(addresses([acme[0]!, globex[0]!]));
  });

  it("takes flat filter fields at the top level (original clients) and under filter", async () => {
    const top = await send({
      company: "Acme",
      subject: "Top level",
      body: "Hi",
      utmSource: "s",
      utmCampaign: "c",
    });
    expect(top.status).toBe(202);
    expect(top.body.recipients).toBe(3);
    const nested = await send({
      filter: { company: "Globex", job_title: "CTO" },
      subject: "Nested flat",
      body: "Hi",
    });
    expect(nested.status).toBe(202);
    expect(nested.body.recipients).toBe(2);
    expect(recipientsOf(await emailsWithSubject("Top level"))).toEqual(addresses(acme));
    expect(recipientsOf(await emailsWithSubject("Nested flat"))).toEqual(addresses(globex));
  });

  it("takes a filter tree", async () => {
    const res = await send({
      filter: {
        any: [
          { field: "jobTitle", in: ["CTO"] },
          { field: "company", in: ["Acme"] },
        ],
      },
      subject: "Tree",
      body: "Hi",
    });
    expect(res.status).toBe(202);
    expect(res.body.recipients).toBe(5);
    expect(recipientsOf(await emailsWithSubject("Tree"))).toEqual(addresses([...acme, ...globex]));
  });

  it("takes a saved segment (its filter as saved now)", async () => {
    const now = new Date().toISOString();
    await insertSegment({
      id: "seg-globex",
      name: "Globex",
      description: null,
      filter: { all: [{ field: "company", in: ["Globex"] }] },
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    const res = await send({ segmentId: "seg-globex", subject: "Segment", body: "Hi" });
    expect(res.status).toBe(202);
    expect(res.body.recipients).toBe(3);
    const sent = recipientsOf(await emailsWithSubject("Segment"));
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(expect.arrayContaining(addresses(globex)));
  });

  it("answers 200 with recipients 0 and creates no campaign when nobody matches", async () => {
    const before = await call(getCampaigns, "GET", "/api/campaigns?limit=200", {}, { key: fx.readKey });
    const res = await send({ filter: { company: "Nobody Inc" }, subject: "Empty", body: "Hi" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ campaignId: null, recipients: 0 });
    const after = await call(getCampaigns, "GET", "/api/campaigns?limit=200", {}, { key: fx.readKey });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it("rejects a missing subject, unknown filter fields and unknown segments", async () => {
    const noSubject = await send({ company: "Acme", body: "Hi" });
    expect(noSubject.status).toBe(400);
    expect(noSubject.body.errors.map((e: { field: string }) => e.field)).toContain("subject");
    const noBody = await send({ userIds: [acme[0]!.id], subject: "x" });
    expect(noBody.status).toBe(400);
    const nested = await send({ filter: { colour: "red" }, subject: "x", body: "y" });
    expect(nested.status).toBe(400);
    expect(nested.body.errors.map((e: { field: string }) => e.field)).toContain("filter.colour");
    const topLevel = await send({ colour: "red", subject: "x", body: "y" });
    expect(topLevel.status).toBe(400);
    const badTree = await send({
      filter: { all: [{ field: "colour", in: ["red"] }] },
      subject: "x",
      body: "y",
    });
    expect(badTree.status).toBe(400);
    const segment = await send({ segmentId: "vip", subject: "x", body: "y" });
    expect(segment.status).toBe(404);
    const unauthenticated = await call(
      sendEmailsRoute,
      "POST",
      "/api/emails/send",
      {},
      { body: { subject: "x" } },
    );
    expect(unauthenticated.status).toBe(401);
    const readOnly = await call(
      sendEmailsRoute,
      "POST",
      "/api/emails/send",
      {},
      {
        key: fx.readKey,
        body: { userIds: [acme[0]!.id], subject: "x", body: "y" },
      },
    );
    expect(readOnly.status).toBe(403);
  });
});

function tokenOf(path: "r" | "o" | "u", html: string): string {
  const match = new RegExp(`/${path}/([A-Za-z0-9_.-]+)`).exec(html);
  if (!match) throw new Error(`no /${path}/ link in ${html}`);
  return match[1]!;
}

const route = (
  handler: typeof clickRoute,
  method: string,
  path: string,
  token: string,
  init: RequestInit = {},
) =>
  handler(new Request(`http://127.0.0.1${path}`, { method, ...init }), {
    params: Promise.resolve({ token }),
  });

describe("tracking routes on a sent email", () => {
  it("redirects valid click tokens with UTM, 404s tampered ones without Location; the pixel is always a GIF", async () => {
    await send({
      userIds: [acme[1]!.id],
      subject: "Links",
      body: "Agenda: https://events.test/agenda?x=1",
      utm_source: "rally",
      utm_medium: "email",
      utm_campaign: "links",
    });
    const [email] = await emailsWithSubject("Links");
    const click = tokenOf("r", email!.body.html!);
    const ok = await route(clickRoute, "GET", `/r/${click}`, click);
    expect(ok.status).toBe(302);
    const location = new URL(ok.headers.get("location")!);
    expect(location.origin + location.pathname).toBe("https://events.test/agenda");
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      x: "1",
      utm_source: "rally",
      utm_medium: "email",
      utm_campaign: "links",
    });
    const last = click.at(-1) === "A" ? "B" : "A";
    const tampered = click.slice(0, -1) + last;
    const bad = await route(clickRoute, "GET", `/r/${tampered}`, tampered);
    expect(bad.status).toBe(404);
    expect(bad.headers.get("location")).toBeNull();

    const open = tokenOf("o", email!.body.html!);
    for (const t of [open, "garbage", `${open}x`]) {
      const pixel = await route(openRoute, "GET", `/o/${t}`, t);
      expect(pixel.status).toBe(200);
      expect(pixel.headers.get("content-type")).toBe("image/gif");
      expect(pixel.headers.get("cache-control")).toContain("no-store");
      expect(
        Buffer.from(await pixel.arrayBuffer())
          .subarray(0, 6)
          .toString(),
      ).toBe("GIF89a");
    }
  });

  it("unsubscribe: GET changes nothing, the one-click POST suppresses, the next campaign skips the address", async () => {
    const target = acme[2]!;
    await send({ userIds: [target.id], subject: "Before unsubscribe", body: "Hi" });
    const [email] = await emailsWithSubject("Before unsubscribe");
    const header = email!.headers?.find((h) => h.name === "List-Unsubscribe")?.value;
    const token = tokenOf("u", header ?? email!.body.html!);
    const store = new DynamoRecipientStore();

    const page = await route(unsubscribePage, "GET", `/u/${token}`, token);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await store.isSuppressed([target.email])).size).toBe(0);

    const post = await route(unsubscribeRoute, "POST", `/u/${token}`, token, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(post.status).toBe(200);
    expect((await store.isSuppressed([target.email])).has(target.email.toLowerCase())).toBe(true);
    const invalid = await route(unsubscribeRoute, "POST", "/u/nope", "nope", {
      body: "List-Unsubscribe=One-Click",
    });
    expect(invalid.status).toBe(404);

    const next = await send({ company: "Acme", subject: "After unsubscribe", body: "Hi" });
    expect(next.body.recipients).toBe(3);
    const delivered = recipientsOf(await emailsWithSubject("After unsubscribe"));
    expect(delivered).toEqual(addresses([acme[0]!, acme[1]!]));
    expect(await store.progress(next.body.campaignId)).toMatchObject({ sent: 2, suppressed: 1 });
  });
});
