import { describe, expect, it } from "vitest";

import { USER_CSV_COLUMNS, userCsvLine } from "@/lib/audience/filter-users";

describe("userCsvLine", () => {
  it("quotes commas, quotes and newlines, defuses formulas and leaves absent fields empty", () => {
    const line = userCsvLine({
      id: "u1",
      firstName: 'Ann "The Hammer"',
      lastName: "Lee, Jr.",
      email: "ann@example.com",
      company: "=HYPERLINK(1)",
      city: "New\nYork",
      hostedEventCount: 2,
      attendedEventCount: 0,
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    expect(line).toBe(
      'u1,"Ann ""The Hammer""","Lee, Jr.",ann@example.com,,,,\'=HYPERLINK(1),"New\nYork",,2,0,2026-01-01T00:00:00.000Z\r\n',
    );
    expect(line.split(",").length).toBeGreaterThanOrEqual(USER_CSV_COLUMNS.length);
  });
});
