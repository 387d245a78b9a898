import { describe, expect, it } from "vitest";

import * as userRoute from "@/app/api/users/[id]/route";
import * as usersRoute from "@/app/api/users/route";
import { getDb, tableName } from "@/lib/db/client";
import { emailGuardKey } from "@/lib/db/keys";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { call, setupIntegration } from "@/test/integration";

const fx = setupIntegration();

const guard = async (email: string) =>
  (
    await getDb().send(
      new GetCommand({ TableName: tableName(), Key: emailGuardKey(email), ConsistentRead: true }),
    )
  ).Item;

describe("users API", () => {
  it("creates from snake_case, reads back camelCase, and refuses a duplicate email case-insensitively", async () => {
    const created = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      {
        key: fx.writeKey,
        body: {
          first_name: " Linus ",
          last_name: "T",
          email: "Linus@Example.com",
          job_title: "Kernel",
          phone_number: "+1 (555) 010-2000",
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      firstName: "Linus",
      jobTitle: "Kernel",
      hostedEventCount: 0,
      attendedEventCount: 0,
      version: 1,
      city: null,
    });
    const got = await call(
      userRoute.GET,
      "GET",
      `/api/users/${created.body.id}`,
      { id: created.body.id },
      { key: fx.readKey },
    );
    expect(got.body).toEqual(created.body);
    const dup = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      {
        key: fx.writeKey,
        body: { firstName: "X", lastName: "Y", email: "  linus@example.COM " },
      },
    );
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].field).toBe("email");
  });

  it("changing the email moves the guard; the old address becomes free, a taken one is refused", async () => {
    const a = await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      { key: fx.writeKey, body: { firstName: "A", lastName: "A", email: "old@example.com" } },
    );
    await call(
      usersRoute.POST,
      "POST",
      "/api/users",
      {},
      { key: fx.writeKey, body: { firstName: "B", lastName: "B", email: "taken@example.com" } },
    );
    const id = a.body.id as string;
    const taken = await call(
      userRoute.PATCH,
      "PATCH",
      `/api/users/${id}`,
      { id },
      { key: fx.writeKey, body: { email: "taken@example.com" } },
    );
    expect(taken.status).toBe(409);
    expect((await guard("old@example.com"))?.userId).toBe(id);
    const moved = await call(
      userRoute.PATCH,
      "PATCH",
      `/api/users/${id}`,
      { id },
      { key: fx.writeKey, body: { email: "new@example.com", city: "Porto" } },
    );
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ email: "new@example.com", city: "Porto", version: 2 });
    expect(await guard("old@example.com")).toBeUndefined();
    expect((await guard("new@example.com"))?.userId).toBe(id);
    const cleared = await call(
      userRoute.PATCH,
      "PATCH",
      `/api/users/${id}`,
      { id },
      { key: fx.writeKey, body: { city: null } },
    );
    expect(cleared.body.city).toBeNull();
  });

  it("pages through users with an opaque cursor, no duplicates or gaps", async () => {
    for (let i = 0; i < 7; i++) {
      await call(
        usersRoute.POST,
        "POST",
        "/api/users",
        {},
        { key: fx.writeKey, body: { firstName: "P", lastName: `${i}`, email: `page${i}@example.com` } },
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
      const page = await call(usersRoute.GET, "GET", `/api/users${qs}`, {}, { key: fx.readKey });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((u: { id: string }) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });
});
