import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";

import { DELETE as cancelRoute } from "@/app/api/events/[id]/register/[userId]/route";
import { POST as registerRoute } from "@/app/api/events/[id]/register/route";
import { GET as registrationsRoute } from "@/app/api/events/[id]/registrations/route";
import * as eventRoute from "@/app/api/events/[id]/route";
import * as eventsRoute from "@/app/api/events/route";
import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { getDb, tableName } from "@/lib/db/client";
import { type Event } from "@/lib/events/schemas";
import { type User } from "@/lib/users/schemas";
import { makeEvent, makeUser } from "@/test/factories";
import { type CallOptions, call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();

type Handler = Parameters<typeof call>[0];
interface Route {
  name: string;
  handler: Handler;
  method: string;
  path: () => string;
  params: () => Record<string, string>;
  /** A body that passes validation (mutations only). */
  validBody?: () => unknown;
  scope: "read" | "write";
}

let owner: User;
let event: Event;

beforeAll(async () => {
  owner = await makeUser(fx.ctx);
  event = await makeEvent(fx.ctx, owner.id, { maxCapacity: 10 });
});

const routes: Route[] = [
  {
    name: "POST /api/users",
    handler: usersRoute.POST,
    method: "POST",
    path: () => "/api/users",
    params: () => ({}),
    validBody: () => ({
      firstName: "Grace",
      lastName: "Hopper",
      email: `grace.${Math.random()}@example.com`,
    }),
    scope: "write",
  },
  {
    name: "GET /api/users",
    handler: usersRoute.GET,
    method: "GET",
    path: () => "/api/users",
    params: () => ({}),
    scope: "read",
  },
  {
    name: "GET /api/users/[id]",
    handler: userRoute.GET,
    method: "GET",
    path: () => `/api/users/${owner.id}`,
    params: () => ({ id: owner.id }),
    scope: "read",
  },
  {
    name: "PATCH /api/users/[id]",
    handler: userRoute.PATCH,
    method: "PATCH",
    path: () => `/api/users/${owner.id}`,
    params: () => ({ id: owner.id }),
    validBody: () => ({ city: "Lisbon" }),
    scope: "write",
  },
  {
    name: "DELETE /api/users/[id]",
    handler: userRoute.DELETE,
    method: "DELETE",
    path: () => `/api/users/${owner.id}`,
    params: () => ({ id: owner.id }),
    scope: "write",
  },
  {
    name: "POST /api/events",
    handler: eventsRoute.POST,
    method: "POST",
    path: () => "/api/events",
    params: () => ({}),
    validBody: () => ({
      title: "Launch",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: owner.id,
    }),
    scope: "write",
  },
  {
    name: "GET /api/events",
    handler: eventsRoute.GET,
    method: "GET",
    path: () => "/api/events",
    params: () => ({}),
    scope: "read",
  },
  {
    name: "GET /api/events/[id]",
    handler: eventRoute.GET,
    method: "GET",
    path: () => `/api/events/${event.id}`,
    params: () => ({ id: event.id }),
    scope: "read",
  },
  {
    name: "PATCH /api/events/[id]",
    handler: eventRoute.PATCH,
    method: "PATCH",
    path: () => `/api/events/${event.id}`,
    params: () => ({ id: event.id }),
    validBody: () => ({ venue: "Hall B" }),
    scope: "write",
  },
  {
    name: "DELETE /api/events/[id]",
    handler: eventRoute.DELETE,
    method: "DELETE",
    path: () => `/api/events/${event.id}`,
    params: () => ({ id: event.id }),
    scope: "write",
  },
  {
    name: "POST /api/events/[id]/register",
    handler: registerRoute,
    method: "POST",
    path: () => `/api/events/${event.id}/register`,
    params: () => ({ id: event.id }),
    validBody: () => ({ userId: owner.id }),
    scope: "write",
  },
  {
    name: "DELETE /api/events/[id]/register/[userId]",
    handler: cancelRoute,
    method: "DELETE",
    path: () => `/api/events/${event.id}/register/${owner.id}`,
    params: () => ({ id: event.id, userId: owner.id }),
    scope: "write",
  },
  {
    name: "GET /api/events/[id]/registrations",
    handler: registrationsRoute,
    method: "GET",
    path: () => `/api/events/${event.id}/registrations`,
    params: () => ({ id: event.id }),
    scope: "read",
  },
];

async function expectProblem(
  route: Route,
  opts: CallOptions,
  status: number,
  pathSuffix = "",
  params?: Record<string, string>,
) {
  const res = await call(
    route.handler,
    route.method,
    route.path() + pathSuffix,
    params ?? route.params(),
    opts,
  );
  expect(res.status, `${route.name} ${JSON.stringify(res.body)}`).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  expect(Array.isArray(res.body.errors)).toBe(true);
  return res.body;
}

describe.each(routes)("auth: $name", (route) => {
  const body = () => (route.validBody ? { body: route.validBody() } : {});
  it("401 without a key", async () => {
    expect((await expectProblem(route, { key: null, ...body() }, 401)).code).toBe("unauthorized");
  });
  it("401 with a malformed or unknown key", async () => {
    await expectProblem(route, { key: "nope", ...body() }, 401);
    await expectProblem(route, { key: `rk_live_${"A".repeat(43)}`, ...body() }, 401);
  });
  it("401 with a revoked key", async () => {
    await expectProblem(route, { key: fx.revokedKey, ...body() }, 401);
  });
  it("401 with a forged x-middleware-subrequest header and no key", async () => {
    const forged = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
    await expectProblem(route, { key: null, headers: forged, ...body() }, 401);
  });
  if (route.scope === "write") {
    it("403 with a read-only key", async () => {
      expect((await expectProblem(route, { key: fx.readKey, ...body() }, 403)).code).toBe("forbidden");
    });
  }
});

const bodyRoutes = routes.filter((r) => r.validBody);

describe.each(bodyRoutes)("body handling: $name", (route) => {
  const key = () => fx.writeKey;
  it("415 for a non-JSON content type, and without one", async () => {
    await expectProblem(
      route,
      { key: key(), raw: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } },
      415,
    );
    await expectProblem(route, { key: key(), raw: JSON.stringify(route.validBody?.()) }, 415);
  });
  it("400 for no body and for invalid JSON", async () => {
    await expectProblem(route, { key: key(), headers: { "content-type": "application/json" } }, 400);
    const bad = await expectProblem(
      route,
      { key: key(), raw: "{ nope", headers: { "content-type": "application/json" } },
      400,
    );
    expect(bad.detail).toBe("Request body is not valid JSON");
  });
  it("400 for JSON that is not an object", async () => {
    for (const raw of ["[]", "null", "42", '"text"']) {
      await expectProblem(route, { key: key(), raw, headers: { "content-type": "application/json" } }, 400);
    }
  });
  it("400 naming unknown fields (no mass assignment)", async () => {
    const res = await expectProblem(
      route,
      { key: key(), body: { ...(route.validBody?.() as object), isAdmin: true, registeredCount: 9 } },
      400,
    );
    const fields = res.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["isAdmin", "registeredCount"]));
  });
  it("413 over 1 MB, declared or streamed with a lying Content-Length", async () => {
    const big = JSON.stringify({ ...(route.validBody?.() as object), pad: "x".repeat(1_100_000) });
    await expectProblem(
      route,
      { key: key(), raw: big, headers: { "content-type": "application/json" } },
      413,
    );
    await expectProblem(
      route,
      { key: key(), raw: big, headers: { "content-type": "application/json", "content-length": "20" } },
      413,
    );
  });
});

// Field-level bad inputs per body route: every one must be a 400 naming the field, never a 500.
const fieldCases: Array<[string, () => Route, () => unknown, string]> = [
  ["users: wrong types", () => routes[0]!, () => ({ firstName: 1, lastName: [], email: {} }), "firstName"],
  [
    "users: bad email",
    () => routes[0]!,
    () => ({ firstName: "A", lastName: "B", email: "not-an-email" }),
    "email",
  ],
  [
    "users: huge name",
    () => routes[0]!,
    () => ({ firstName: "A".repeat(5000), lastName: "B", email: "a@b.co" }),
    "firstName",
  ],
  [
    "users: blank name",
    () => routes[0]!,
    () => ({ firstName: "   ", lastName: "B", email: "a@b.co" }),
    "firstName",
  ],
  [
    "users: http avatar",
    () => routes[0]!,
    () => ({ firstName: "A", lastName: "B", email: "a@b.co", avatar: "http://x.y/a.png" }),
    "avatar",
  ],
  ["users: missing fields", () => routes[0]!, () => ({}), "firstName"],
  [
    "users: both spellings differ",
    () => routes[0]!,
    () => ({ firstName: "A", first_name: "B", lastName: "B", email: "a@b.co" }),
    "firstName",
  ],
  ["users patch: empty", () => routes[3]!, () => ({}), "(root)"],
  ["users patch: bad phone", () => routes[3]!, () => ({ phoneNumber: "call me maybe" }), "phoneNumber"],
  [
    "events: bad date",
    () => routes[5]!,
    () => ({ title: "T", startAt: "yesterday", endAt: "2027-01-01T12:00:00Z", ownerId: "u" }),
    "startAt",
  ],
  [
    "events: invalid calendar date",
    () => routes[5]!,
    () => ({ title: "T", startAt: "2027-02-30T10:00:00Z", endAt: "2027-03-01T12:00:00Z", ownerId: "u" }),
    "startAt",
  ],
  [
    "events: end before start",
    () => routes[5]!,
    () => ({ title: "T", startAt: "2027-01-02T10:00:00Z", endAt: "2027-01-01T12:00:00Z", ownerId: "u" }),
    "endAt",
  ],
  [
    "events: capacity not positive",
    () => routes[5]!,
    () => ({
      title: "T",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
      maxCapacity: 0,
    }),
    "maxCapacity",
  ],
  [
    "events: capacity too big",
    () => routes[5]!,
    () => ({
      title: "T",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
      max_capacity: 2e6,
    }),
    "maxCapacity",
  ],
  [
    "events: too many hosts",
    () => routes[5]!,
    () => ({
      title: "T",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
      hostIds: Array.from({ length: 21 }, (_, i) => `h${i}`),
    }),
    "hostIds",
  ],
  [
    "events: bad time zone",
    () => routes[5]!,
    () => ({
      title: "T",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
      timeZone: "Mars/Olympus",
    }),
    "timeZone",
  ],
  [
    "events: bad slug",
    () => routes[5]!,
    () => ({
      title: "T",
      slug: "Not A Slug",
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
    }),
    "slug",
  ],
  [
    "events: huge description",
    () => routes[5]!,
    () => ({
      title: "T",
      description: "d".repeat(10_001),
      startAt: "2027-01-01T10:00:00Z",
      endAt: "2027-01-01T12:00:00Z",
      ownerId: "u",
    }),
    "description",
  ],
  [
    "events patch: end before stored start",
    () => routes[8]!,
    () => ({ endAt: "2020-01-01T00:00:00Z" }),
    "endAt",
  ],
  ["register: bad user id", () => routes[10]!, () => ({ userId: "../../etc" }), "userId"],
  [
    "register: bad utm",
    () => routes[10]!,
    () => ({ userId: "u1", utm: { source: 5, term: "x" } }),
    "utm.source",
  ],
];

describe("field validation", () => {
  it.each(fieldCases)("400 for %s", async (_name, route, body, field) => {
    const res = await expectProblem(route(), { key: fx.writeKey, body: body() }, 400);
    expect(res.code).toBe("validation");
    expect(res.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

describe("query and path validation", () => {
  const lists = routes.filter((r) =>
    ["GET /api/users", "GET /api/events", "GET /api/events/[id]/registrations"].includes(r.name),
  );
  it.each(lists)("$name: bad limit, bad cursor, foreign cursor, unknown parameter → 400", async (route) => {
    for (const q of [
      "?limit=0",
      "?limit=201",
      "?limit=abc",
      "?limit=1.5",
      "?cursor=!!!",
      "?cursor=bm9wZQ",
      "?sort=name",
    ]) {
      const body = await expectProblem(route, { key: fx.writeKey }, 400, q);
      expect(body.code).toBe("validation");
    }
    // A well-formed cursor from another list must be refused, not passed to DynamoDB.
    const foreign = Buffer.from(
      JSON.stringify({ PK: "APIKEY#x", SK: "KEY", GSI1PK: "APIKEYS", GSI1SK: "x" }),
    ).toString("base64url");
    await expectProblem(route, { key: fx.writeKey }, 400, `?cursor=${foreign}`);
  });
  it("400 for a malformed path id, 404 for an unknown one", async () => {
    const get = routes[2]!;
    await expectProblem(get, { key: fx.readKey }, 400, "", { id: "a/b" });
    await expectProblem(get, { key: fx.readKey }, 404, "", { id: "unknown-user" });
    await expectProblem(routes[7]!, { key: fx.readKey }, 404, "", { id: "unknown-event" });
    await expectProblem(routes[12]!, { key: fx.readKey }, 404, "", { id: "unknown-event" });
    await expectProblem(routes[4]!, { key: fx.writeKey }, 404, "", { id: "unknown-user" });
    await expectProblem(routes[9]!, { key: fx.writeKey }, 404, "", { id: "unknown-event" });
  });
});

describe("no partial items after rejected writes", () => {
  it("the table holds exactly the fixture's entities and their guards", async () => {
    const out = await getDb().send(new ScanCommand({ TableName: tableName(), ConsistentRead: true }));
    const byEntity: Record<string, number> = {};
    for (const item of out.Items ?? [])
      byEntity[String(item.entity)] = (byEntity[String(item.entity)] ?? 0) + 1;
    expect(byEntity.User).toBe(1);
    expect(byEntity.EmailGuard).toBe(1);
    expect(byEntity.Event).toBe(1);
    expect(byEntity.SlugGuard).toBe(1);
    expect(byEntity.HostLink).toBe(1);
    expect(byEntity.Registration ?? 0).toBe(0);
  });
});
