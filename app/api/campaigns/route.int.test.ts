import { beforeAll, describe, expect, it } from "vitest";

import { POST as cancelRoute } from "@/app/api/campaigns/[id]/cancel/route";
import { POST as pauseRoute } from "@/app/api/campaigns/[id]/pause/route";
import { GET as recipientsRoute } from "@/app/api/campaigns/[id]/recipients/route";
import { POST as resumeRoute } from "@/app/api/campaigns/[id]/resume/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/campaigns/[id]/route";
import { POST as sendRoute } from "@/app/api/campaigns/[id]/send/route";
import { POST as testRoute } from "@/app/api/campaigns/[id]/test/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/campaigns/route";
import { getLocalRunner } from "@/inngest/local-runner";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

/* The /api/campaigns resource through its route handlers against the stand-ins and the in-process runner. */

const fx = setupIntegration();

beforeAll(async () => {
  await Promise.all([0, 1, 2].map(() => makeUser(fx.ctx, { company: "Initech" })));
});

const create = (body: unknown) => call(createRoute, "POST", "/api/campaigns", {}, { key: fx.writeKey, body });
const on = (handler: Parameters<typeof call>[0], method: string, id: string, suffix = "", body?: unknown) =>
  call(
    handler,
    method,
    `/api/campaigns/${id}${suffix}`,
    { id },
    { key: fx.writeKey, ...(body ? { body } : {}) },
  );

describe("/api/campaigns", () => {
  it("draft → edit → test send → send (frozen audience) → immutable → completed with progress", async () => {
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    const created = await create({
      name: "Spring Launch",
      subject: "Hi {{firstName}}",
      body: "Join us: https://events.test/spring",
      audience: { filter: { company: "Initech" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "draft",
      utm: { source: "rally", campaign: "spring-launch" },
    });
    const id: string = created.body.id;

    const draft = await on(getRoute, "GET", id);
    expect(draft.body).toMatchObject({ status: "draft", audienceCount: 3 });

    const patched = await on(patchRoute, "PATCH", id, "", { subject: "Hello {{firstName}}" });
    expect(patched.status).toBe(200);
    expect(patched.body.subject).toBe("Hello {{firstName}}");
    expect((await on(patchRoute, "PATCH", id, "", { body: "{{nope}}" })).status).toBe(400);
    expect((await on(patchRoute, "PATCH", id, "", { colour: "red" })).status).toBe(400);

    const test = await on(testRoute, "POST", id, "/test", { emails: ["preview@example.com"] });
    expect(test.status).toBe(200);
    expect(test.body.results).toEqual([
      expect.objectContaining({ email: "preview@example.com", status: "sent" }),
    ]);
    const preview = (await ses.emails()).filter((e) => e.destination.to[0] === "preview@example.com");
    expect(preview.map((e) => e.subject)).toEqual(["[Test] Hello Test"]);

    const sent = await on(sendRoute, "POST", id, "/send");
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: "sending", recipients: 3 });
    // Joining the audience after the send changes nothing: the recipients were frozen.
    await makeUser(fx.ctx, { company: "Initech" });

    const locked = await on(patchRoute, "PATCH", id, "", { subject: "Too late" });
    expect(locked.status).toBe(409);
    expect((await on(deleteRoute, "DELETE", id)).status).toBe(409);
    expect((await on(sendRoute, "POST", id, "/send")).status).toBe(409);

    await getLocalRunner().idle();
    const done = await on(getRoute, "GET", id);
    expect(done.body).toMatchObject({
      status: "completed",
      recipientCount: 3,
      progress: { queued: 0, sent: 3, failed: 0, suppressed: 0, skipped: 0, unknown: 0, failureReasons: [] },
    });
    const mails = (await ses.emails()).filter((e) => e.subject.startsWith("Hello"));
    expect(mails).toHaveLength(3);

    const rows = await call(
      recipientsRoute,
      "GET",
      `/api/campaigns/${id}/recipients?limit=2`,
      { id },
      { key: fx.readKey },
    );
    expect(rows.status).toBe(200);
    expect(rows.body.items).toHaveLength(2);
    expect(rows.body.items[0]).toMatchObject({ status: "sent", attempts: 1 });
    const rest = await call(
      recipientsRoute,
      "GET",
      `/api/campaigns/${id}/recipients?limit=2&cursor=${rows.body.nextCursor}`,
      { id },
      { key: fx.readKey },
    );
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();

    const list = await call(listRoute, "GET", "/api/campaigns", {}, { key: fx.readKey });
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(id);
  });

  it("pause, resume and cancel follow the lifecycle; a cancelled scheduled campaign sends nothing", async () => {
    const created = await create({
      name: "Later",
      subject: "Later",
      body: "Soon",
      audience: { filter: { all: [{ field: "company", in: ["Initech"] }] } },
    });
    const id: string = created.body.id;
    expect((await on(pauseRoute, "POST", id, "/pause")).status).toBe(409);
    expect((await on(resumeRoute, "POST", id, "/resume")).status).toBe(409);

    const scheduledAt = new Date(Date.now() + 1_500).toISOString();
    const sent = await on(sendRoute, "POST", id, "/send", { scheduledAt });
    expect(sent.status).toBe(202);
    expect(sent.body.recipients).toBe(4);

    const paused = await on(pauseRoute, "POST", id, "/pause");
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: "paused", scheduledAt, progress: { queued: 4 } });
    expect((await on(pauseRoute, "POST", id, "/pause")).status).toBe(409);
    expect((await on(resumeRoute, "POST", id, "/resume")).body.status).toBe("sending");
    expect((await on(cancelRoute, "POST", id, "/cancel")).body.status).toBe("cancelled");
    expect((await on(cancelRoute, "POST", id, "/cancel")).status).toBe(409);
    expect((await on(resumeRoute, "POST", id, "/resume")).status).toBe(409);

    await getLocalRunner().idle();
    const after = await on(getRoute, "GET", id);
    expect(after.body).toMatchObject({ status: "cancelled", progress: { queued: 4, sent: 0 } });
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    expect((await ses.emails()).filter((e) => e.subject === "Later")).toHaveLength(0);
  });

  it("deletes drafts, 404s unknown ids, 400s bad input", async () => {
    const created = await create({ name: "Scratch", subject: "S", body: "B", audience: { userIds: ["x"] } });
    const id: string = created.body.id;
    expect((await on(deleteRoute, "DELETE", id)).status).toBe(204);
    expect((await on(getRoute, "GET", id)).status).toBe(404);
    expect((await on(sendRoute, "POST", "nope", "/send")).status).toBe(404);
    expect((await create({ name: "No audience", subject: "S", body: "B" })).status).toBe(400);
    expect(
      (await create({ name: "Bad", subject: "S", body: "B", audience: { filter: { colour: "x" } } })).status,
    ).toBe(400);
    expect(
      (await create({ name: "Two", subject: "S", body: "B", audience: { userIds: ["a"], segmentId: "s" } }))
        .status,
    ).toBe(400);
    expect(
      (await create({ name: "Bad body", subject: "S", body: "{{nope}}", audience: { userIds: ["a"] } }))
        .status,
    ).toBe(400);
  });
});
