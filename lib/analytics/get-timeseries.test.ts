import { describe, expect, it } from "vitest";

import { resolveRange } from "@/lib/analytics/get-timeseries";
import { ValidationError } from "@/lib/errors";

describe("resolveRange", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  it("defaults to the last 30 days or 48 hours ending now", () => {
    expect(resolveRange({}, "day", now)).toEqual({ fromMs: now - 30 * 86_400_000 + 1, toMs: now });
    expect(resolveRange({}, "hour", now).fromMs).toBe(now - 48 * 3_600_000 + 1);
  });

  it("keeps given bounds and refuses too many hour buckets, naming `from`", () => {
    expect(resolveRange({ from: 1, to: 2 }, "hour", now)).toEqual({ fromMs: 1, toMs: 2 });
    try {
      resolveRange({ from: now - 200 * 86_400_000, to: now }, "hour", now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.field).toBe("query.from");
    }
  });
});
