import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  formatDayLabel,
  formatPercent,
  funnelSteps,
  isEmptySeries,
  seriesColor,
  topWithOther,
} from "@/components/charts/chart-data";

describe("funnelSteps", () => {
  it("computes step and overall conversion in stage order", () => {
    const steps = funnelSteps({ sent: 1000, delivered: 950, opened: 380, clicked: 95, registered: 19 });
    expect(steps.map((s) => s.key)).toEqual(["sent", "delivered", "opened", "clicked", "registered"]);
    expect(steps[0]).toMatchObject({ value: 1000, ofPrevious: null, ofFirst: 1 });
    expect(steps[2]?.ofPrevious).toBeCloseTo(0.4);
    expect(steps[4]?.ofPrevious).toBeCloseTo(0.2);
    expect(steps[4]?.ofFirst).toBeCloseTo(0.019);
  });

  it("reports no rate instead of dividing by zero", () => {
    const steps = funnelSteps({ sent: 0, delivered: 0, opened: 0, clicked: 0, registered: 0 });
    expect(steps.every((s) => s.ofFirst === null)).toBe(true);
    expect(steps.slice(1).every((s) => s.ofPrevious === null)).toBe(true);
  });
});

describe("topWithOther", () => {
  const items = [
    { label: "Berlin", value: 5 },
    { label: "Paris", value: 9 },
    { label: "Oslo", value: 1 },
    { label: "Rome", value: 3 },
  ];

  it("sorts descending and leaves short lists whole", () => {
    expect(topWithOther(items, 4).map((i) => i.label)).toEqual(["Paris", "Berlin", "Rome", "Oslo"]);
  });

  it("folds the tail into Other so the bar count equals the limit", () => {
    expect(topWithOther(items, 3)).toEqual([
      { label: "Paris", value: 9 },
      { label: "Berlin", value: 5 },
      { label: "Other", value: 4 },
    ]);
  });

  it("never loses or invents volume", () => {
    const arb = fc.array(fc.record({ label: fc.string(), value: fc.nat(1_000_000) }), { maxLength: 40 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 12 }), (list, limit) => {
        const out = topWithOther(list, limit);
        const sum = (xs: { value: number }[]) => xs.reduce((a, x) => a + x.value, 0);
        expect(sum(out)).toBe(sum(list));
        expect(out.length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});

describe("formatting", () => {
  it("formats ISO days in UTC and passes other labels through", () => {
    expect(formatDayLabel("2026-11-05")).toBe("Nov 5");
    expect(formatDayLabel("2026-01-01T23:30:00-05:00")).toBe("Jan 1");
    expect(formatDayLabel("Week 45")).toBe("Week 45");
  });

  it("shows a dash for an undefined rate", () => {
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(0.125)).toBe("12.5%");
  });

  it("detects series with nothing to draw", () => {
    expect(isEmptySeries([])).toBe(true);
    expect(isEmptySeries([0, 0])).toBe(true);
    expect(isEmptySeries([0, 2])).toBe(false);
  });

  it("cycles through five theme colours", () => {
    expect(seriesColor(0)).toBe("var(--chart-1)");
    expect(seriesColor(6)).toBe("var(--chart-2)");
  });
});
