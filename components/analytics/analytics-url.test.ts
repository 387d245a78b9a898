import { describe, expect, it } from "vitest";

import {
  analyticsSearchString,
  DEFAULT_ANALYTICS_STATE,
  effectiveMetric,
  funnelCounts,
  parseAnalyticsSearch,
  resolveDayRange,
  toAnalyticsFilters,
} from "@/components/analytics/analytics-url";
import { SummaryQuery } from "@/lib/analytics/schemas";

const NOW = Date.parse("2026-11-25T15:30:00Z");

describe("analytics URL state", () => {
  it("an empty query is the default view, and the default view writes an empty query", () => {
    expect(parseAnalyticsSearch(new URLSearchParams())).toEqual(DEFAULT_ANALYTICS_STATE);
    expect(analyticsSearchString(DEFAULT_ANALYTICS_STATE)).toBe("");
  });

  it("round-trips every field", () => {
    const qs =
      "from=2026-10-01&to=2026-10-31&utm_source=newsletter&utm_medium=email&utm_campaign=spring" +
      "&campaign=cmp_1&event=evt_2&metric=clicked&interval=hour&by=event&bots=include";
    const state = parseAnalyticsSearch(new URLSearchParams(qs));
    expect(state).toMatchObject({
      preset: null,
      from: "2026-10-01",
      to: "2026-10-31",
      utmSource: "newsletter",
      campaignId: "cmp_1",
      eventId: "evt_2",
      metric: "clicked",
      interval: "hour",
      by: "event",
      includeBots: true,
    });
    expect(parseAnalyticsSearch(new URLSearchParams(analyticsSearchString(state)))).toEqual(state);
  });

  it("reads Next's searchParams records (first value of a repeated key)", () => {
    expect(parseAnalyticsSearch({ range: ["7d", "90d"], utm_source: " ads " })).toMatchObject({
      preset: 7,
      utmSource: "ads",
    });
  });

  it("drops malformed values instead of failing", () => {
    const state = parseAnalyticsSearch(
      new URLSearchParams("from=2026-02-30&to=nope&range=13d&metric=drop_table&interval=week&by=x"),
    );
    expect(state).toEqual(DEFAULT_ANALYTICS_STATE);
  });

  it("swaps a reversed custom range", () => {
    const state = parseAnalyticsSearch(new URLSearchParams("from=2026-11-10&to=2026-11-01"));
    expect([state.from, state.to]).toEqual(["2026-11-01", "2026-11-10"]);
  });

  it("a preset other than the default is written as range=Nd and custom dates win over it", () => {
    expect(analyticsSearchString({ ...DEFAULT_ANALYTICS_STATE, preset: 90 })).toBe("range=90d");
    expect(parseAnalyticsSearch(new URLSearchParams("range=7d&from=2026-11-01")).preset).toBeNull();
  });
});

describe("filters for the verbs", () => {
  it("a preset covers N whole UTC days ending today", () => {
    expect(resolveDayRange({ preset: 7, from: null, to: null }, NOW)).toEqual({
      from: "2026-11-19",
      to: "2026-11-25",
    });
    expect(resolveDayRange({ preset: null, from: null, to: "2026-11-10" }, NOW)).toEqual({
      from: "2026-10-12",
      to: "2026-11-10",
    });
  });

  it("only set filters are sent, and the result passes the verbs' own schema", () => {
    const state = parseAnalyticsSearch(new URLSearchParams("utm_source=ads&event=evt_1&range=90d"));
    const filters = toAnalyticsFilters(state, NOW);
    expect(filters).toEqual({ from: "2026-08-28", to: "2026-11-25", utm_source: "ads", eventId: "evt_1" });
    expect(SummaryQuery.safeParse(filters).success).toBe(true);
  });

  it("bots excluded: opens and clicks read the human counters", () => {
    expect(effectiveMetric("opened", false)).toBe("uniqueOpened");
    expect(effectiveMetric("clicked", false)).toBe("uniqueClicked");
    expect(effectiveMetric("opened", true)).toBe("opened");
    expect(effectiveMetric("registered", false)).toBe("registered");
    const summary = {
      sent: 10,
      delivered: 9,
      opened: 8,
      uniqueOpened: 5,
      clicked: 4,
      uniqueClicked: 2,
      registered: 1,
    };
    expect(funnelCounts(summary as never, false)).toEqual({
      sent: 10,
      delivered: 9,
      opened: 5,
      clicked: 2,
      registered: 1,
    });
    expect(funnelCounts(summary as never, true).opened).toBe(8);
  });
});
