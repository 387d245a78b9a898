import { describe, expect, it } from "vitest";

import { attendanceByDay } from "@/app/(dashboard)/events/[id]/attendance";

describe("attendanceByDay", () => {
  it("counts per UTC day, fills gaps and keeps a running total", () => {
    expect(
      attendanceByDay(["2026-11-03T23:59:00.000Z", "2026-11-01T10:00:00.000Z", "2026-11-03T00:00:00.000Z"]),
    ).toEqual([
      { date: "2026-11-01", registrations: 1, total: 1 },
      { date: "2026-11-02", registrations: 0, total: 1 },
      { date: "2026-11-03", registrations: 2, total: 3 },
    ]);
    expect(attendanceByDay([])).toEqual([]);
  });
});
