import { describe, expect, it } from "vitest";

import { changesForItem } from "@/lib/audience/sync/map-items";

const user = {
  PK: "USER#u1",
  SK: "PROFILE",
  entity: "User",
  id: "u1",
  firstName: "Ann",
  lastName: "Lee",
  email: "ann@example.com",
  emailLower: "ann@example.com",
  company: "Acme",
  hostedEventCount: 2,
  attendedEventCount: 5,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-02T00:00:00.000Z",
  version: 3,
};

describe("changesForItem", () => {
  it("maps a user item to an upsert carrying only audience fields", () => {
    expect(changesForItem(user, true)).toEqual([
      {
        type: "user.upsert",
        user: {
          id: "u1",
          firstName: "Ann",
          lastName: "Lee",
          email: "ann@example.com",
          company: "Acme",
          hostedEventCount: 2,
          attendedEventCount: 5,
          createdAt: "2026-01-01T00:00:00.000Z",
        },
      },
    ]);
  });

  it("removes users and events that are gone or being deleted", () => {
    expect(changesForItem(user, false)).toEqual([{ type: "user.remove", id: "u1" }]);
    expect(changesForItem({ ...user, deletingAt: "2026-02-01T00:00:00Z" }, true)).toEqual([
      { type: "user.remove", id: "u1" },
    ]);
    const event = {
      entity: "Event",
      id: "e1",
      startAt: "2026-01-01T18:00:00Z",
      endAt: "2026-01-01T21:00:00Z",
    };
    expect(changesForItem(event, true)).toEqual([
      { type: "event.upsert", event: { id: "e1", startAt: event.startAt, endAt: event.endAt } },
    ]);
    expect(changesForItem({ ...event, deletingAt: "x" }, true)).toEqual([{ type: "event.remove", id: "e1" }]);
  });

  it("maps links to puts and removes", () => {
    const reg = { entity: "Registration", eventId: "e1", userId: "u1", registeredAt: "2026-01-01T00:00:00Z" };
    expect(changesForItem(reg, true)).toEqual([{ type: "registration.put", eventId: "e1", userId: "u1" }]);
    expect(changesForItem(reg, false)).toEqual([
      { type: "registration.remove", eventId: "e1", userId: "u1" },
    ]);
    const host = { entity: "HostLink", eventId: "e1", userId: "u1", role: "owner" };
    expect(changesForItem(host, true)).toEqual([{ type: "host.put", eventId: "e1", userId: "u1" }]);
    expect(changesForItem(host, false)).toEqual([{ type: "host.remove", eventId: "e1", userId: "u1" }]);
  });

  it("ignores other entities and incomplete items", () => {
    expect(changesForItem({ entity: "ApiKey", id: "k" }, true)).toEqual([]);
    expect(changesForItem({ entity: "User" }, true)).toEqual([]);
    expect(changesForItem(undefined, true)).toEqual([]);
  });
});
