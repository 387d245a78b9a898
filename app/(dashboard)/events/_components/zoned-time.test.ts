import { describe, expect, it } from "vitest";

import { isoToZonedLocal, zonedLocalToIso } from "@/app/(dashboard)/events/_components/zoned-time";

describe("zoned wall-clock times", () => {
  it("converts wall-clock time in a zone to UTC, across DST", () => {
    expect(zonedLocalToIso("2026-12-01T18:00", "UTC")).toBe("2026-12-01T18:00:00.000Z");
    expect(zonedLocalToIso("2026-12-01T18:00", "Europe/Berlin")).toBe("2026-12-01T17:00:00.000Z");
    expect(zonedLocalToIso("2026-07-01T18:00", "Europe/Berlin")).toBe("2026-07-01T16:00:00.000Z");
    expect(zonedLocalToIso("2026-07-01T18:00", "America/New_York")).toBe("2026-07-01T22:00:00.000Z");
    expect(zonedLocalToIso("2026-03-29T01:30", "Europe/Berlin")).toBe("2026-03-29T00:30:00.000Z");
    expect(zonedLocalToIso("not a time", "UTC")).toBeNull();
  });

  it("round-trips", () => {
    for (const tz of ["UTC", "Asia/Kolkata", "America/Los_Angeles", "Australia/Adelaide"]) {
      for (const local of ["2026-01-15T09:30", "2026-06-30T23:45", "2026-11-01T00:00"]) {
        expect(isoToZonedLocal(zonedLocalToIso(local, tz)!, tz)).toBe(local);
      }
    }
  });
});
