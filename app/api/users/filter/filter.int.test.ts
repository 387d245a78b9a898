import { afterAll, describe, expect, it } from "vitest";

import { PATCH as patchEvent } from "@/app/api/events/[id]/route";
import { DELETE as cancelRoute } from "@/app/api/events/[id]/register/[userId]/route";
import { POST as registerRoute } from "@/app/api/events/[id]/register/route";
import { POST as createEventRoute } from "@/app/api/events/route";
import { GET as filterGet, POST as filterPost } from "@/app/api/users/filter/route";
import { DELETE as deleteUserRoute, PATCH as patchUser } from "@/app/api/users/[id]/route";
import { POST as createUserRoute } from "@/app/api/users/route";
import { stopAudienceIndex } from "@/lib/audience/get-audience-index";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();
afterAll(() => stopAudienceIndex());

const tag = Math.random().toString(36).slice(2, 8);
const company = `Zeta-${tag}`;

async function filter(query: string) {
  return call(filterGet, "GET", `/api/users/filter?${query}`, {}, { key: fx.readKey });
}
async function ids(query: string): Promise<string[]> {
  const res = await filter(query);
  expect(res.status).toBe(200);
  return (res.body.items as { id: string }[]).map((u) => u.id).sort();
}
// Writes reach the index through the stream; the bound is generous, the freshness target is 1 s p95.
const poll = { timeout: 5_000, interval: 100 };

async function createUser(body: Record<string, unknown>) {
  const res = await call(createUserRoute, "POST", "/api/users", {}, { key: fx.writeKey, body });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe("GET /api/users/filter follows writes made through the API", () => {
  it("create, update company, register, cancel, host change and delete all show up", async () => {
    const ann = await createUser({
      firstName: "Ann",
      lastName: "Lee",
      email: `ann.${tag}@example.com`,
      company,
    });
    const bob = await createUser({ firstName: "Bob", lastName: "Ray", email: `bob.${tag}@example.com` });
    await expect.poll(() => ids(`company=${company}`), poll).toEqual([ann.id]);

    const patched = await call(
      patchUser,
      "PATCH",
      `/api/users/${bob.id}`,
      { id: bob.id },
      {
        key: fx.writeKey,
        body: { company: company.toUpperCase() },
      },
    );
    expect(patched.status).toBe(200);
    await expect.poll(() => ids(`company=${company}`), poll).toEqual([ann.id, bob.id].sort());

    // An event that has already ended: registering makes Ann an attendee.
    const past = await call(
      createEventRoute,
      "POST",
      "/api/events",
      {},
      {
        key: fx.writeKey,
        body: {
          title: `Past ${tag}`,
          startAt: "2025-01-01T18:00:00Z",
          endAt: "2025-01-01T20:00:00Z",
          ownerId: bob.id,
        },
      },
    );
    expect(past.status).toBe(201);
    const eventId = past.body.id as string;
    await expect.poll(() => ids(`company=${company}&hostedMin=1`), poll).toEqual([bob.id]);

    const reg = await call(
      registerRoute,
      "POST",
      `/api/events/${eventId}/register`,
      { id: eventId },
      {
        key: fx.writeKey,
        body: { userId: ann.id },
      },
    );
    expect(reg.status).toBe(201);
    await expect.poll(() => ids(`company=${company}&attendedMin=1`), poll).toEqual([ann.id]);
    await expect.poll(() => ids(`attended=${eventId}`), poll).toEqual([ann.id]);
    const page = await filter(`company=${company}&attendedMin=1`);
    expect(page.body.items[0]).toMatchObject({
      id: ann.id,
      firstName: "Ann",
      attendedEventCount: 1,
      hostedEventCount: 0,
    });
    expect(page.body.total).toBe(1);

    const cancelled = await call(
      cancelRoute,
      "DELETE",
      `/api/events/${eventId}/register/${ann.id}`,
      {
        id: eventId,
        userId: ann.id,
      },
      { key: fx.writeKey },
    );
    expect(cancelled.status).toBe(204);
    await expect.poll(() => ids(`company=${company}&attendedMin=1`), poll).toEqual([]);

    // Ann becomes a co-host.
    const hosted = await call(
      patchEvent,
      "PATCH",
      `/api/events/${eventId}`,
      { id: eventId },
      {
        key: fx.writeKey,
        body: { hostIds: [ann.id] },
      },
    );
    expect(hosted.status).toBe(200);
    await expect.poll(() => ids(`hosted=${eventId}`), poll).toEqual([ann.id, bob.id].sort());

    // Bob owns an event, so a third user is the one deleted.
    const cy = await createUser({ firstName: "Cy", lastName: "Vo", email: `cy.${tag}@example.com`, company });
    await expect.poll(() => ids(`company=${company}`), poll).toEqual([ann.id, bob.id, cy.id].sort());
    const deleted = await call(
      deleteUserRoute,
      "DELETE",
      `/api/users/${cy.id}`,
      { id: cy.id },
      { key: fx.writeKey },
    );
    expect(deleted.status).toBe(204);
    await expect.poll(() => ids(`company=${company}`), poll).toEqual([ann.id, bob.id].sort());
  });
});

describe("GET and POST /api/users/filter", () => {
  it("the original parameter names give the same result as the new ones", async () => {
    const c = `Omni-${tag}`;
    for (const [i, title] of ["Engineer", "Designer", "Engineer"].entries()) {
      await createUser({
        firstName: `U${i}`,
        lastName: `L${i}`,
        email: `u${i}.${tag}@example.com`,
        company: c,
        jobTitle: title,
      });
    }
    await expect.poll(async () => (await filter(`company=${c}`)).body.total, poll).toBe(3);
    const modern = await filter(
      `company=${c}&jobTitle=Engineer&hostedMax=0&attendedMax=5&sort=-firstName&limit=1`,
    );
    const legacy = await filter(
      `company=${c}&job_title=Engineer&events_hosted_max=0&events_attended_max=5&sort_by=first_name&sort_order=desc&size=1`,
    );
    expect(modern.status).toBe(200);
    expect(legacy.body).toEqual(modern.body);
    expect(modern.body.total).toBe(2);
    expect(modern.body.items.map((u: { firstName: string }) => u.firstName)).toEqual(["U2"]);

    const next = await filter(
      `company=${c}&jobTitle=Engineer&hostedMax=0&attendedMax=5&sort=-firstName&limit=1&cursor=${modern.body.nextCursor}`,
    );
    expect(next.body.items.map((u: { firstName: string }) => u.firstName)).toEqual(["U0"]);
    expect(next.body.nextCursor).toBeNull();
    const page2 = await filter(
      `company=${c}&job_title=Engineer&sort_by=first_name&sort_order=desc&size=1&page=2`,
    );
    expect(page2.body.items.map((u: { firstName: string }) => u.firstName)).toEqual(["U0"]);

    const tree = await call(
      filterPost,
      "POST",
      "/api/users/filter",
      {},
      {
        key: fx.readKey,
        body: {
          filter: {
            all: [
              { field: "company", in: [c] },
              { field: "jobTitle", in: ["engineer"] },
            ],
          },
          sort: "-firstName",
          limit: 1,
        },
      },
    );
    expect(tree.status).toBe(200);
    expect(tree.body).toEqual(modern.body);
    const treeSortObject = await call(
      filterPost,
      "POST",
      "/api/users/filter",
      {},
      {
        key: fx.readKey,
        body: { filter: { field: "company", in: [c] }, sort: { field: "firstName", order: "asc" } },
      },
    );
    expect(treeSortObject.body.items.map((u: { firstName: string }) => u.firstName)).toEqual([
      "U0",
      "U1",
      "U2",
    ]);
  });

  it.each([
    ["hostedMin=3&hostedMax=1", "hostedMin"],
    ["events_attended_min=5&events_attended_max=2", "events_attended_min"],
    ["sort=shoeSize", "sort"],
    ["sort_by=shoe_size", "sort_by"],
    ["attendedMin=-1", "attendedMin"],
    ["events_hosted_max=-2", "events_hosted_max"],
    ["limit=501", "limit"],
    ["limit=0", "limit"],
    ["size=9999", "size"],
    ["colour=red", "colour"],
    ["cursor=garbage!", "cursor"],
    ["filter=%7Bnope", "filter"],
    [`filter=${encodeURIComponent(JSON.stringify({ field: "shoe", in: ["x"] }))}`, "filter"],
  ])("GET ?%s → 400 naming %s", async (query, field) => {
    const res = await filter(query);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  const deep = (levels: number): unknown => (levels <= 1 ? { q: "a" } : { all: [deep(levels - 1)] });

  it.each([
    [{ filter: { all: [{ field: "company" }] } }, "filter"],
    [{ filter: deep(9) }, "filter"],
    [{ filter: { all: [] }, limit: 501 }, "limit"],
    [{ filter: { all: [] }, limit: -1 }, "limit"],
    [{ filter: { all: [] }, sort: "shoeSize" }, "sort"],
    [{ filter: { all: [] }, colour: "red" }, "colour"],
    [{ filter: { field: "attendedEventCount", gte: 4, lte: 1 } }, "filter"],
    [{}, "filter"],
  ])("POST %j → 400 naming %s", async (body, field) => {
    const res = await call(filterPost, "POST", "/api/users/filter", {}, { key: fx.readKey, body });
    expect(res.status).toBe(400);
    expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
  });

  it("a tree 8 deep is accepted (9 deep is refused above)", async () => {
    const ok = await call(
      filterPost,
      "POST",
      "/api/users/filter",
      {},
      { key: fx.readKey, body: { filter: deep(8) } },
    );
    expect(ok.status).toBe(200);
  });

  it("needs an API key", async () => {
    expect((await call(filterGet, "GET", "/api/users/filter", {}, { key: null })).status).toBe(401);
  });
});
