import { describe, expect, it } from "vitest";

import { campaignControls, progressNumbers, progressRefetchInterval } from "@/lib/campaigns/query-options";

describe("campaign query options", () => {
  it("polls only while sending", () => {
    expect(progressRefetchInterval("sending")).toBeGreaterThanOrEqual(1000);
    expect(progressRefetchInterval("sending")).toBeLessThanOrEqual(2000);
    for (const s of ["draft", "paused", "completed", "cancelled", undefined] as const)
      expect(progressRefetchInterval(s)).toBe(false);
  });

  it("offers pause, resume and cancel only where the verbs allow them", () => {
    expect(campaignControls("sending")).toEqual({ pause: true, resume: false, cancel: true });
    expect(campaignControls("paused")).toEqual({ pause: false, resume: true, cancel: true });
    expect(campaignControls("completed")).toEqual({ pause: false, resume: false, cancel: false });
    expect(campaignControls("cancelled").cancel).toBe(false);
  });

  it("progress counts settled recipients and never exceeds the total", () => {
    expect(progressNumbers(200, { queued: 50 })).toEqual({ total: 200, done: 150, percent: 75 });
    expect(progressNumbers(3, { queued: 1 }).percent).toBe(66);
    expect(progressNumbers(0, { queued: 0 })).toEqual({ total: 0, done: 0, percent: 0 });
    expect(progressNumbers(10, undefined).done).toBe(0);
    expect(progressNumbers(10, { queued: 20 }).done).toBe(0);
  });
});
