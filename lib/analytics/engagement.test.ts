import { describe, expect, it } from "vitest";

import { distribution, fillRates, topBy } from "@/lib/analytics/engagement";

describe("engagement", () => {
  it("buckets every user, listing empty buckets too", () => {
    const d = distribution([0, 0, 1, 3, 4, 9, 10, 25]);
    expect(d).toEqual([
      { bucket: "0", users: 2 },
      { bucket: "1", users: 1 },
      { bucket: "2", users: 0 },
      { bucket: "3-4", users: 2 },
      { bucket: "5-9", users: 1 },
      { bucket: "10-19", users: 1 },
      { bucket: "20+", users: 1 },
    ]);
    expect(d.reduce((s, b) => s + b.users, 0)).toBe(8);
  });

  it("ranks top people by count, then name, and leaves out zeros", () => {
    const users = [
      { userId: "a", name: "Zoe", hosted: 2, attended: 0 },
      { userId: "b", name: "Amy", hosted: 2, attended: 5 },
      { userId: "c", name: "Bob", hosted: 0, attended: 1 },
    ];
    expect(topBy(users, "hosted", 10).map((u) => u.name)).toEqual(["Amy", "Zoe"]);
    expect(topBy(users, "attended", 1)).toEqual([{ userId: "b", name: "Amy", count: 5 }]);
  });

  it("computes fill rates, null for unlimited events, newest first", () => {
    const out = fillRates(
      [
        { eventId: "old", title: "Old", startAt: "2026-01-01T00:00:00Z", registered: 1, capacity: 3 },
        { eventId: "new", title: "New", startAt: "2026-06-01T00:00:00Z", registered: 7, capacity: null },
      ],
      10,
    );
    expect(out.map((e) => [e.eventId, e.fillRate])).toEqual([
      ["new", null],
      ["old", 0.3333],
    ]);
  });
});
