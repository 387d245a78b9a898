import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";

import { POST as register } from "@/app/api/events/[id]/register/route";
import { DELETE as cancel } from "@/app/api/events/[id]/register/[userId]/route";
import { getDb, tableName } from "@/lib/db/client";
import { eventPk } from "@/lib/db/keys";
import { getEventOrThrow } from "@/lib/db/events-repo";
import { retryStats } from "@/lib/db/retry";
import { getUserOrThrow } from "@/lib/db/users-repo";
import { makeEvent, makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();

async function registrationItems(eventId: string) {
  const out = await getDb().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :reg)",
      ExpressionAttributeValues: { ":pk": eventPk(eventId), ":reg": "REG#" },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

async function createUsers(n: number) {
  const users = [];
  for (let i = 0; i < n; i += 20) {
    users.push(...(await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => makeUser(fx.ctx)))));
  }
  return users;
}

async function raceRegistrations(capacity: number, clients: number) {
  const owner = await makeUser(fx.ctx);
  const event = await makeEvent(fx.ctx, owner.id, { maxCapacity: capacity });
  const users = await createUsers(clients);
  const results = await Promise.all(
    users.map((u) =>
      call(
        register,
        "POST",
        `/api/events/${event.id}/register`,
        { id: event.id },
        { key: fx.writeKey, body: { userId: u.id } },
      ),
    ),
  );
  return { event, users, results };
}

async function expectExact(eventId: string, users: { id: string }[], created: number) {
  const items = await registrationItems(eventId);
  expect(items).toHaveLength(created);
  expect((await getEventOrThrow(eventId)).registeredCount).toBe(created);
  const registered = new Set(items.map((i) => i.userId as string));
  for (const u of users) {
    expect((await getUserOrThrow(u.id)).attendedEventCount).toBe(registered.has(u.id) ? 1 : 0);
  }
}

// Heavy on a shared 2-core machine: generous timeouts; correctness is asserted, never speed.
describe("POST /api/events/[id]/register under contention", { timeout: 180_000 }, () => {
  it("200 racing registrations on capacity 50: exactly 50 succeed, 150 get event_full", async () => {
    const { event, users, results } = await raceRegistrations(50, 200);
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).toHaveLength(150);
    expect(refused.every((r) => r.body.code === "event_full")).toBe(true);
    await expectExact(event.id, users, 50);
  });

  it("stays exact with 30% transaction conflicts and 10% throttling injected", async () => {
    fx.setFaults({ transactionConflictRate: 0.3, throttleRate: 0.1 });
    const retriesBefore = retryStats.retries;
    try {
      const owner = await makeUser(fx.ctx);
      const event = await makeEvent(fx.ctx, owner.id, { maxCapacity: 50 });
      const users = await createUsers(200);
      const results = await Promise.all(
        users.map((u) =>
          call(
            register,
            "POST",
            `/api/events/${event.id}/register`,
            { id: event.id },
            { key: fx.writeKey, body: { userId: u.id } },
          ),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(retryStats.retries - retriesBefore).toBeGreaterThan(50); // the faults really fired
      console.log("status counts under faults", countBy(statuses));
      // Every answer is a definite outcome or an honest 503 after bounded retries; never a 500.
      expect(statuses.every((s) => s === 201 || s === 409 || s === 503)).toBe(true);
      fx.setFaults({});
      const created = statuses.filter((s) => s === 201).length;
      expect(created).toBeLessThanOrEqual(50);
      await expectExact(event.id, users, created);
    } finally {
      fx.setFaults({});
    }
  });
});

describe("registration outcomes", () => {
  it("registers once, refuses a second time with already_registered, leaves no stray item", async () => {
    const owner = await makeUser(fx.ctx);
    const user = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id);
    const path = `/api/events/${event.id}/register`;
    const first = await call(
      register,
      "POST",
      path,
      { id: event.id },
      {
        key: fx.writeKey,
        body: { user_id: user.id, utm: { source: "newsletter", medium: "email" }, campaignToken: "abc.def" },
      },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      eventId: event.id,
      userId: user.id,
      source: "api",
      utm: { source: "newsletter" },
    });
    const second = await call(
      register,
      "POST",
      path,
      { id: event.id },
      { key: fx.writeKey, body: { userId: user.id } },
    );
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("already_registered");
    await expectExact(event.id, [user, owner], 1);
  });

  it("names the missing side: unknown event → 404 Event, unknown user → 404 User, no partial writes", async () => {
    const owner = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id);
    const noEvent = await call(
      register,
      "POST",
      "/api/events/nope/register",
      { id: "nope" },
      {
        key: fx.writeKey,
        body: { userId: owner.id },
      },
    );
    expect(noEvent.status).toBe(404);
    expect(noEvent.body.detail).toMatch(/^Event nope/);
    const noUser = await call(
      register,
      "POST",
      `/api/events/${event.id}/register`,
      { id: event.id },
      {
        key: fx.writeKey,
        body: { userId: "ghost" },
      },
    );
    expect(noUser.status).toBe(404);
    expect(noUser.body.detail).toMatch(/^User ghost/);
    await expectExact(event.id, [owner], 0);
    expect((await getUserOrThrow(owner.id)).attendedEventCount).toBe(0);
  });

  it("cancelling reverses the counters; cancelling again is 404", async () => {
    const owner = await makeUser(fx.ctx);
    const user = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { maxCapacity: 1 });
    const path = `/api/events/${event.id}/register`;
    expect(
      (await call(register, "POST", path, { id: event.id }, { key: fx.writeKey, body: { userId: user.id } }))
        .status,
    ).toBe(201);
    const full = await call(
      register,
      "POST",
      path,
      { id: event.id },
      { key: fx.writeKey, body: { userId: owner.id } },
    );
    expect(full.body.code).toBe("event_full");
    const del = `/api/events/${event.id}/register/${user.id}`;
    expect(
      (await call(cancel, "DELETE", del, { id: event.id, userId: user.id }, { key: fx.writeKey })).status,
    ).toBe(204);
    await expectExact(event.id, [user, owner], 0);
    const again = await call(cancel, "DELETE", del, { id: event.id, userId: user.id }, { key: fx.writeKey });
    expect(again.status).toBe(404);
    // The freed seat is usable again.
    expect(
      (await call(register, "POST", path, { id: event.id }, { key: fx.writeKey, body: { userId: owner.id } }))
        .status,
    ).toBe(201);
  });
});
