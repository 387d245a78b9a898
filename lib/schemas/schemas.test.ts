import { describe, expect, it } from "vitest";

import { CreateEventInput, RegisterInput, UpdateEventInput } from "@/lib/events/schemas";
import { PageQuery } from "@/lib/schemas/common";
import { camelToSnake } from "@/lib/schemas/snake-aliases";
import { CreateUserInput, UpdateUserInput } from "@/lib/users/schemas";

const event = { title: "T", startAt: "2027-01-01T10:00:00Z", endAt: "2027-01-01T12:00:00Z", ownerId: "u1" };

describe("snake_case aliases", () => {
  it("maps the original service's spellings to camelCase", () => {
    expect(camelToSnake("maxCapacity")).toBe("max_capacity");
    const user = CreateUserInput.parse({
      first_name: "A",
      last_name: "B",
      email: "a@b.co",
      phone_number: "555-0100",
      job_title: "CTO",
    });
    expect(user).toEqual({
      firstName: "A",
      lastName: "B",
      email: "a@b.co",
      phoneNumber: "555-0100",
      jobTitle: "CTO",
    });
    const ev = CreateEventInput.parse({
      title: "T",
      start_at: event.startAt,
      end_at: event.endAt,
      owner_id: "u1",
      host_ids: ["u2"],
      max_capacity: 5,
      time_zone: "Asia/Tokyo",
    });
    expect(ev).toMatchObject({
      startAt: event.startAt,
      ownerId: "u1",
      hostIds: ["u2"],
      maxCapacity: 5,
      timeZone: "Asia/Tokyo",
    });
    expect(RegisterInput.parse({ user_id: "u9", campaign_token: "t.k" })).toEqual({
      userId: "u9",
      campaignToken: "t.k",
    });
  });

  it("accepts both spellings when equal, rejects them when different", () => {
    expect(
      CreateUserInput.parse({ firstName: "A", first_name: "A", lastName: "B", email: "a@b.co" }).firstName,
    ).toBe("A");
    const res = CreateUserInput.safeParse({
      firstName: "A",
      first_name: "Z",
      lastName: "B",
      email: "a@b.co",
    });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.path).toEqual(["firstName"]);
  });

  it("is strict: unknown keys are named, camel or snake", () => {
    const res = CreateUserInput.safeParse({
      firstName: "A",
      lastName: "B",
      email: "a@b.co",
      is_admin: true,
      role: "x",
    });
    expect(res.success).toBe(false);
    const issue = res.error?.issues.find((i) => i.code === "unrecognized_keys") as
      { keys: string[] } | undefined;
    expect(issue?.keys.sort()).toEqual(["is_admin", "role"]);
  });
});

describe("field rules", () => {
  it("trims strings and lower bounds them", () => {
    expect(CreateUserInput.parse({ firstName: "  A ", lastName: "B", email: " a@b.co " })).toMatchObject({
      firstName: "A",
      email: "a@b.co",
    });
    expect(CreateUserInput.safeParse({ firstName: "   ", lastName: "B", email: "a@b.co" }).success).toBe(
      false,
    );
    expect(
      CreateUserInput.safeParse({ firstName: "A".repeat(101), lastName: "B", email: "a@b.co" }).success,
    ).toBe(false);
  });

  it("validates emails, https avatars and free-text gender", () => {
    const base = { firstName: "A", lastName: "B", email: "a@b.co" };
    expect(CreateUserInput.safeParse({ ...base, email: "a@" }).success).toBe(false);
    expect(CreateUserInput.safeParse({ ...base, avatar: "https://cdn.example.com/a.png" }).success).toBe(
      true,
    );
    expect(CreateUserInput.safeParse({ ...base, avatar: "javascript:alert(1)" }).success).toBe(false);
    expect(CreateUserInput.safeParse({ ...base, gender: "genderfluid" }).success).toBe(true);
    expect(CreateUserInput.safeParse({ ...base, gender: "x".repeat(51) }).success).toBe(false);
  });

  it("requires ISO date-times with offsets, endAt after startAt, sane capacity and hosts", () => {
    expect(CreateEventInput.safeParse(event).success).toBe(true);
    expect(CreateEventInput.safeParse({ ...event, startAt: "2027-01-01" }).success).toBe(false);
    expect(CreateEventInput.safeParse({ ...event, startAt: "2027-01-01T10:00:00" }).success).toBe(false);
    expect(CreateEventInput.safeParse({ ...event, endAt: event.startAt }).success).toBe(false);
    expect(CreateEventInput.safeParse({ ...event, maxCapacity: 1.5 }).success).toBe(false);
    expect(CreateEventInput.safeParse({ ...event, maxCapacity: null }).success).toBe(true);
    expect(CreateEventInput.safeParse({ ...event, hostIds: ["a", "a"] }).success).toBe(false);
    expect(CreateEventInput.safeParse({ ...event, timeZone: "Not/AZone" }).success).toBe(false);
  });

  it("PATCH bodies need at least one field and allow null to clear", () => {
    expect(UpdateUserInput.safeParse({}).success).toBe(false);
    expect(UpdateUserInput.parse({ city: null })).toEqual({ city: null });
    expect(UpdateEventInput.safeParse({}).success).toBe(false);
    expect(UpdateEventInput.parse({ max_capacity: null })).toEqual({ maxCapacity: null });
  });
});

describe("PageQuery", () => {
  it("defaults and bounds limit, checks the cursor alphabet, rejects unknown params", () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ limit: "200" }).limit).toBe(200);
    for (const limit of ["0", "201", "-1", "1.5", "ten"])
      expect(PageQuery.safeParse({ limit }).success, limit).toBe(false);
    expect(PageQuery.safeParse({ cursor: "a+b/c=" }).success).toBe(false);
    expect(PageQuery.safeParse({ sort: "x" }).success).toBe(false);
  });
});
