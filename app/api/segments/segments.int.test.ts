import { afterAll, describe, expect, it } from "vitest";

import { GET as countRoute } from "@/app/api/segments/[id]/count/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/segments/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/segments/route";
import { stopAudienceIndex } from "@/lib/audience/get-audience-index";
import { makeUser } from "@/test/factories";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();
afterAll(() => stopAudienceIndex());

const tag = Math.random().toString(36).slice(2, 8);
const poll = { timeout: 5_000, interval: 100 };

describe("/api/segments", () => {
  it("create, read with a live count, list, rename, refilter, delete", async () => {
    const company = `Seg-${tag}`;
    await makeUser(fx.ctx, { company });
    const filter = { all: [{ field: "company", in: [company] }] };
    const created = await call(
      createRoute,
      "POST",
      "/api/segments",
      {},
      {
        key: fx.writeKey,
        body: { name: "Seg people", filter },
      },
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ name: "Seg people", description: null, filter, version: 1 });

    const count = () => call(countRoute, "GET", `/api/segments/${id}/count`, { id }, { key: fx.readKey });
    await expect.poll(async () => (await count()).body.count, poll).toBe(1);

    // The count is live: a new matching user raises it without touching the segment.
    await makeUser(fx.ctx, { company: company.toLowerCase() });
    await expect.poll(async () => (await count()).body.count, poll).toBe(2);
    const read = await call(getRoute, "GET", `/api/segments/${id}`, { id }, { key: fx.readKey });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, filter, count: 2 });
    const noCount = await call(
      getRoute,
      "GET",
      `/api/segments/${id}?count=false`,
      { id },
      { key: fx.readKey },
    );
    expect(noCount.body.count).toBeUndefined();

    const list = await call(listRoute, "GET", "/api/segments", {}, { key: fx.readKey });
    expect(list.status).toBe(200);
    expect(list.body.items.find((s: { id: string }) => s.id === id)).toMatchObject({ count: 2 });

    const patched = await call(
      patchRoute,
      "PATCH",
      `/api/segments/${id}`,
      { id },
      {
        key: fx.writeKey,
        body: { name: "Nobody", description: "empty on purpose", filter: { any: [] } },
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: "Nobody",
      description: "empty on purpose",
      count: 0,
      version: 2,
    });
    expect((await count()).body.count).toBe(0);

    const readOnly = await call(deleteRoute, "DELETE", `/api/segments/${id}`, { id }, { key: fx.readKey });
    expect(readOnly.status).toBe(403);
    const deleted = await call(deleteRoute, "DELETE", `/api/segments/${id}`, { id }, { key: fx.writeKey });
    expect(deleted.status).toBe(204);
    expect((await call(getRoute, "GET", `/api/segments/${id}`, { id }, { key: fx.readKey })).status).toBe(
      404,
    );
  });

  it("404 for an unknown segment on every verb", async () => {
    const id = "no-such-segment";
    const opts = { key: fx.writeKey };
    expect((await call(getRoute, "GET", `/api/segments/${id}`, { id }, opts)).status).toBe(404);
    expect((await call(countRoute, "GET", `/api/segments/${id}/count`, { id }, opts)).status).toBe(404);
    expect(
      (await call(patchRoute, "PATCH", `/api/segments/${id}`, { id }, { ...opts, body: { name: "x" } }))
        .status,
    ).toBe(404);
    expect((await call(deleteRoute, "DELETE", `/api/segments/${id}`, { id }, opts)).status).toBe(404);
  });

  it.each([
    [{ name: "Bad", filter: { field: "shoe", in: ["x"] } }, "filter"],
    [
      {
        name: "Bad",
        filter: { all: [{ not: { not: { not: { not: { not: { not: { not: { not: { q: "a" } } } } } } } } }] },
      },
      "filter",
    ],
    [{ name: "", filter: { all: [] } }, "name"],
    [{ filter: { all: [] } }, "name"],
    [{ name: "x", filter: { all: [] }, extra: 1 }, "extra"],
  ])("POST %j → 400 naming %s", async (body, field) => {
    const res = await call(createRoute, "POST", "/api/segments", {}, { key: fx.writeKey, body });
    expect(res.status).toBe(400);
    expect(res.body.errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
  });

  it("PATCH with a bad tree → 400; with nothing → 400", async () => {
    const created = await call(
      createRoute,
      "POST",
      "/api/segments",
      {},
      {
        key: fx.writeKey,
        body: { name: "Everyone", filter: { all: [] } },
      },
    );
    const id = created.body.id as string;
    const bad = await call(
      patchRoute,
      "PATCH",
      `/api/segments/${id}`,
      { id },
      {
        key: fx.writeKey,
        body: { filter: { any: [{ field: "attendedEventCount" }] } },
      },
    );
    expect(bad.status).toBe(400);
    const empty = await call(
      patchRoute,
      "PATCH",
      `/api/segments/${id}`,
      { id },
      { key: fx.writeKey, body: {} },
    );
    expect(empty.status).toBe(400);
  });
});
