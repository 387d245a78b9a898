import { QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";

import * as eventRoute from "@/app/api/events/[id]/route";
import * as eventsRoute from "@/app/api/events/route";
import * as userRoute from "@/app/api/users/[id]/route";
import { getDb, tableName } from "@/lib/db/client";
import { CASCADE_BATCH } from "@/lib/db/cascade";
import { getEvent } from "@/lib/db/events-repo";
import { getUser, getUserOrThrow } from "@/lib/db/users-repo";
import { registerForEvent } from "@/lib/events/register";
import { makeEvent, makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();

const hosted = async (id: string) => (await getUserOrThrow(id)).hostedEventCount;
const attended = async (id: string) => (await getUserOrThrow(id)).attendedEventCount;

async function itemsOf(pk: string) {
  const out = await getDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk",
      ExpressionAttributeValues: { ":pk": pk },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe("hosted counters", () => {
  it("count the owner once even when listed among co-hosts, and each co-host once", async () => {
    const [owner, a, b] = await Promise.all([makeUser(fx.ctx), makeUser(fx.ctx), makeUser(fx.ctx)]);
    const res = await call(
      eventsRoute.POST,
      "POST",
      "/api/events",
      {},
      {
        key: fx.writeKey,
        body: {
          title: "Rust & Coffee",
          start_at: "2027-05-01T09:00:00+02:00",
          end_at: "2027-05-01T11:00:00+02:00",
          owner_id: owner!.id,
          host_ids: [owner!.id, a!.id, b!.id],
          time_zone: "Europe/Berlin",
        },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: "rust-coffee",
      startAt: "2027-05-01T07:00:00.000Z",
      timeZone: "Europe/Berlin",
    });
    expect(res.body.hostIds).toEqual([a!.id, b!.id].sort());
    expect([await hosted(owner!.id), await hosted(a!.id), await hosted(b!.id)]).toEqual([1, 1, 1]);
    const links = (await itemsOf(`EVENT#${res.body.id}`)).filter((i) => i.entity === "HostLink");
    expect(links.map((l) => l.role).sort()).toEqual(["cohost", "cohost", "owner"]);
  });

  it("PATCH hostIds adjusts links and counters by the difference; a second event with the same slug base gets a suffix", async () => {
    const [owner, a, b, c] = await Promise.all([
      makeUser(fx.ctx),
      makeUser(fx.ctx),
      makeUser(fx.ctx),
      makeUser(fx.ctx),
    ]);
    const event = await makeEvent(fx.ctx, owner!.id, { title: "Same Title", hostIds: [a!.id, b!.id] });
    const twin = await makeEvent(fx.ctx, owner!.id, { title: "Same Title" });
    expect(event.slug).toBe("same-title");
    expect(twin.slug).toMatch(/^same-title-[0-9a-f]{6}$/);
    const res = await call(
      eventRoute.PATCH,
      "PATCH",
      `/api/events/${event.id}`,
      { id: event.id },
      {
        key: fx.writeKey,
        body: { hostIds: [b!.id, c!.id], startAt: "2027-03-01T17:00:00Z" },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.hostIds).toEqual([b!.id, c!.id].sort());
    expect(await hosted(owner!.id)).toBe(2);
    expect([await hosted(a!.id), await hosted(b!.id), await hosted(c!.id)]).toEqual([0, 1, 1]);
    const links = (await itemsOf(`EVENT#${event.id}`)).filter((i) => i.entity === "HostLink");
    expect(links.map((l) => l.userId).sort()).toEqual([owner!.id, b!.id, c!.id].sort());
    expect(links.every((l) => String(l.GSI2SK).startsWith("HOST#2027-03-01T17:00:00.000Z#"))).toBe(true);
  });

  it("a missing co-host is a 404 naming them and writes nothing", async () => {
    const owner = await makeUser(fx.ctx);
    const res = await call(
      eventsRoute.POST,
      "POST",
      "/api/events",
      {},
      {
        key: fx.writeKey,
        body: {
          title: "Ghost",
          startAt: "2027-01-01T10:00:00Z",
          endAt: "2027-01-01T11:00:00Z",
          ownerId: owner.id,
          hostIds: ["ghost-1"],
        },
      },
    );
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain("ghost-1");
    expect(await hosted(owner.id)).toBe(0);
    const scan = await getDb().send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: "slug = :s",
        ExpressionAttributeValues: { ":s": "ghost" },
      }),
    );
    expect(scan.Items).toHaveLength(0);
  });

  it("lowering maxCapacity below the registrations is a 409", async () => {
    const [owner, a, b] = await Promise.all([makeUser(fx.ctx), makeUser(fx.ctx), makeUser(fx.ctx)]);
    const event = await makeEvent(fx.ctx, owner!.id, { maxCapacity: 5 });
    await registerForEvent({ ctx: fx.ctx, input: { eventId: event.id, userId: a!.id } });
    await registerForEvent({ ctx: fx.ctx, input: { eventId: event.id, userId: b!.id } });
    const res = await call(
      eventRoute.PATCH,
      "PATCH",
      `/api/events/${event.id}`,
      { id: event.id },
      { key: fx.writeKey, body: { maxCapacity: 1 } },
    );
    expect(res.status).toBe(409);
    const ok = await call(
      eventRoute.PATCH,
      "PATCH",
      `/api/events/${event.id}`,
      { id: event.id },
      { key: fx.writeKey, body: { maxCapacity: null } },
    );
    expect(ok.body.maxCapacity).toBeNull();
  });
});

describe("deletion cascades", { timeout: 120_000 }, () => {
  it("deleting an event with more registrations than one batch removes everything and keeps counters exact", async () => {
    const [owner, cohost] = await Promise.all([makeUser(fx.ctx), makeUser(fx.ctx)]);
    const event = await makeEvent(fx.ctx, owner!.id, { hostIds: [cohost!.id] });
    const other = await makeEvent(fx.ctx, owner!.id);
    const attendees = [];
    for (let i = 0; i < CASCADE_BATCH * 2 + 5; i += 25) {
      attendees.push(...(await Promise.all(Array.from({ length: 25 }, () => makeUser(fx.ctx)))));
    }
    await Promise.all(
      attendees.map((u) => registerForEvent({ ctx: fx.ctx, input: { eventId: event.id, userId: u.id } })),
    );
    await registerForEvent({ ctx: fx.ctx, input: { eventId: other.id, userId: attendees[0]!.id } });

    const res = await call(
      eventRoute.DELETE,
      "DELETE",
      `/api/events/${event.id}`,
      { id: event.id },
      { key: fx.writeKey },
    );
    expect(res.status).toBe(204);
    expect(await itemsOf(`EVENT#${event.id}`)).toHaveLength(0);
    expect(await getEvent(event.id)).toBeNull();
    expect(await hosted(owner!.id)).toBe(1);
    expect(await hosted(cohost!.id)).toBe(0);
    expect(await attended(attendees[0]!.id)).toBe(1);
    expect(await attended(attendees[1]!.id)).toBe(0);
    expect((await getEvent(other.id))?.registeredCount).toBe(1);
    // The slug is free again.
    const again = await makeEvent(fx.ctx, owner!.id, { slug: event.slug });
    expect(again.slug).toBe(event.slug);
    const gone = await call(
      eventRoute.DELETE,
      "DELETE",
      `/api/events/${event.id}`,
      { id: event.id },
      { key: fx.writeKey },
    );
    expect(gone.status).toBe(404);
  });

  it("deleting a user who owns events is refused; a co-host/attendee is removed everywhere with counters exact", async () => {
    const [owner, member] = await Promise.all([makeUser(fx.ctx), makeUser(fx.ctx)]);
    const e1 = await makeEvent(fx.ctx, owner!.id, { hostIds: [member!.id] });
    const e2 = await makeEvent(fx.ctx, owner!.id);
    await registerForEvent({ ctx: fx.ctx, input: { eventId: e1.id, userId: member!.id } });
    await registerForEvent({ ctx: fx.ctx, input: { eventId: e2.id, userId: member!.id } });
    await registerForEvent({ ctx: fx.ctx, input: { eventId: e2.id, userId: owner!.id } });

    const refused = await call(
      userRoute.DELETE,
      "DELETE",
      `/api/users/${owner!.id}`,
      { id: owner!.id },
      { key: fx.writeKey },
    );
    expect(refused.status).toBe(409);
    expect(await getUser(owner!.id)).not.toBeNull(); // still usable afterwards
    await registerForEvent({ ctx: fx.ctx, input: { eventId: e1.id, userId: owner!.id } });

    const res = await call(
      userRoute.DELETE,
      "DELETE",
      `/api/users/${member!.id}`,
      { id: member!.id },
      { key: fx.writeKey },
    );
    expect(res.status).toBe(204);
    expect(await getUser(member!.id)).toBeNull();
    expect(await itemsOf(`USER#${member!.id}`)).toHaveLength(0);
    expect(await itemsOf(`EMAIL#${member!.email.toLowerCase()}`)).toHaveLength(0);
    const after1 = await getEvent(e1.id);
    expect(after1?.hostIds).toEqual([]);
    expect(after1?.registeredCount).toBe(1);
    expect((await getEvent(e2.id))?.registeredCount).toBe(1);
    expect(await hosted(owner!.id)).toBe(2);
    expect(await attended(owner!.id)).toBe(2);
  });
});
