import { describe, expect, it } from "vitest";

import { POST as registerRoute } from "@/app/api/events/[id]/register/route";
import * as usersRoute from "@/app/api/users/route";
import { getEventOrThrow } from "@/lib/db/events-repo";
import { claimIdempotencyKey } from "@/lib/db/idempotency-repo";
import { makeEvent, makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();

describe("Idempotency-Key", () => {
  it("replays the stored response with Idempotent-Replayed and does not act twice", async () => {
    const body = { firstName: "Idem", lastName: "Potent", email: "idem@example.com" };
    const headers = { "idempotency-key": "create-idem-1" };
    const first = await call(usersRoute.POST, "POST", "/api/users", {}, { key: fx.writeKey, body, headers });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const second = await call(usersRoute.POST, "POST", "/api/users", {}, { key: fx.writeKey, body, headers });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    // Without the key the same body is a duplicate email: proof the replay did not run the verb.
    const third = await call(usersRoute.POST, "POST", "/api/users", {}, { key: fx.writeKey, body });
    expect(third.status).toBe(409);
  });

  it("same key with a different body → 422; a different API key has its own key space", async () => {
    const headers = { "idempotency-key": "k-422" };
    const a = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      {
        key: fx.writeKey,
        headers,
        body: { firstName: "A", lastName: "A", email: "a422@example.com" },
      },
    );
    expect(a.status).toBe(201);
    const b = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      {
        key: fx.writeKey,
        headers,
        body: { firstName: "B", lastName: "B", email: "b422@example.com" },
      },
    );
    expect(b.status).toBe(422);
    expect(b.body.code).toBe("unprocessable");
  });

  it("replays error responses too, so a retried registration gives the same answer", async () => {
    const owner = await makeUser(fx.ctx);
    const user = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, owner.id, { maxCapacity: 3 });
    const send = (key: string) =>
      call(
        registerRoute,
        "POST",
        `/api/events/${event.id}/register`,
        { id: event.id },
        {
          key: fx.writeKey,
          body: { userId: user.id },
          headers: { "idempotency-key": key },
        },
      );
    expect((await send("reg-1")).status).toBe(201);
    const replay = await send("reg-1");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await getEventOrThrow(event.id)).registeredCount).toBe(1);
    const dup = await send("reg-2");
    expect(dup.status).toBe(409);
    const dupReplay = await send("reg-2");
    expect(dupReplay.status).toBe(409);
    expect(dupReplay.headers.get("content-type")).toBe("application/problem+json");
    expect(dupReplay.body.code).toBe("already_registered");
  });

  it("a request still in flight with the same key → 409; a bad key header → 400", async () => {
    const body = { firstName: "F", lastName: "F", email: "inflight@example.com" };
    const req = () =>
      call(
        usersRoute.POST,
        "POST",
        "/api/users",
        {},
        { key: fx.writeKey, body, headers: { "idempotency-key": "busy" } },
      );
    // Simulate the first request holding the claim by claiming with the same hash it will compute.
    const first = await req();
    expect(first.status).toBe(201);
    const stuck = await claimIdempotencyKey("some-key-id", "held", "h1", Math.floor(Date.now() / 1000));
    expect(stuck.kind).toBe("claimed");
    expect((await claimIdempotencyKey("some-key-id", "held", "h1", Math.floor(Date.now() / 1000))).kind).toBe(
      "in_flight",
    );
    expect((await claimIdempotencyKey("some-key-id", "held", "h2", Math.floor(Date.now() / 1000))).kind).toBe(
      "mismatch",
    );
    // After the lock goes stale, the same request may take over.
    expect(
      (await claimIdempotencyKey("some-key-id", "held", "h1", Math.floor(Date.now() / 1000) + 120)).kind,
    ).toBe("claimed");
    const bad = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      {
        key: fx.writeKey,
        body,
        headers: { "idempotency-key": "x".repeat(300) },
      },
    );
    expect(bad.status).toBe(400);
  });
});
