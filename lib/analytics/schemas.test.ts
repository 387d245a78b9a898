import { describe, expect, it } from "vitest";

import { BreakdownQuery, MessageEventInput, SummaryQuery, TimeseriesQuery } from "@/lib/analytics/schemas";

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((i) => i.path.join("."));
}

describe("analytics query schemas", () => {
  it("accepts dates and date-times, a bare `to` covering its whole day", () => {
    const q = SummaryQuery.parse({ from: "2026-11-01", to: "2026-11-02" });
    expect(q.from).toBe(Date.parse("2026-11-01T00:00:00Z"));
    expect(q.to).toBe(Date.parse("2026-11-02T23:59:59.999Z"));
    expect(SummaryQuery.parse({ from: "2026-11-01T10:00:00+02:00" }).from).toBe(
      Date.parse("2026-11-01T08:00:00Z"),
    );
  });

  it("names the bad parameter", () => {
    expect(issuePaths(SummaryQuery.safeParse({ from: "yesterday" }))).toEqual(["from"]);
    expect(issuePaths(SummaryQuery.safeParse({ to: "2026-02-30" }))).toEqual(["to"]);
    expect(issuePaths(SummaryQuery.safeParse({ from: "2026-11-03", to: "2026-11-02" }))).toEqual(["from"]);
    expect(issuePaths(BreakdownQuery.safeParse({ by: "country" }))).toEqual(["by"]);
    expect(issuePaths(TimeseriesQuery.safeParse({ metric: "views" }))).toEqual(["metric"]);
    expect(issuePaths(TimeseriesQuery.safeParse({ metric: "sent", interval: "week" }))).toEqual(["interval"]);
    expect(issuePaths(SummaryQuery.safeParse({ utm_sauce: "x" }))).toEqual([""]);
  });

  it("accepts any subset of filters", () => {
    expect(SummaryQuery.parse({})).toEqual({});
    expect(SummaryQuery.parse({ utm_campaign: "launch" })).toEqual({ utm_campaign: "launch" });
  });

  it("validates the ingest contract", () => {
    const ok = MessageEventInput.safeParse({
      eventId: "ses:1",
      type: "delivered",
      at: "2026-11-20T10:00:00Z",
    });
    expect(ok.success).toBe(true);
    const bad = MessageEventInput.safeParse({ eventId: "x", type: "viewed", at: "now" });
    expect(issuePaths(bad).sort()).toEqual(["at", "type"]);
  });
});
