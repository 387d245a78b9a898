import { describe, expect, it } from "vitest";

import { backoffMs, TokenBucket, type Clock } from "@/lib/email/rate-limiter";

/** A clock whose sleep advances time instantly and records each wait. */
function fakeClock(): Clock & { t: number; waits: number[] } {
  const c = {
    t: 0,
    waits: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.waits.push(ms);
      c.t += ms;
    },
  };
  return c;
}

describe("TokenBucket", () => {
  it("lets a full burst through without waiting, then paces at the rate", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, clock });
    for (let i = 0; i < 10; i++) await bucket.acquire();
    expect(clock.t).toBe(0);
    for (let i = 0; i < 20; i++) await bucket.acquire();
    expect(clock.t).toBe(2000);
    expect(clock.waits.every((w) => w === 100)).toBe(true);
  });

  it("never exceeds the rate over a long run with batches bigger than the bucket", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 14, clock });
    let sent = 0;
    for (let i = 0; i < 40; i++) {
      await bucket.acquire(50);
      sent += 50;
      // Everything sent by time t fits in the burst plus t seconds of rate.
      expect(sent).toBeLessThanOrEqual(14 + 50 + (clock.t / 1000) * 14);
    }
    expect(clock.t / 1000).toBeGreaterThanOrEqual((2000 - 14 - 50) / 14);
  });

  it("refills with elapsed time and serves concurrent callers in order", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2, clock });
    await bucket.acquire(2);
    clock.t += 1000;
    await bucket.acquire(2);
    expect(clock.waits).toEqual([]);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => bucket.acquire(1).then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.t).toBe(2500);
  });

  it("is free when unlimited and rejects nonsense rates", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: Infinity, clock });
    for (let i = 0; i < 1000; i++) await bucket.acquire(50);
    expect(clock.waits).toEqual([]);
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
  });
});

describe("backoffMs", () => {
  it("grows exponentially up to the cap", () => {
    expect(backoffMs(0, 200, 30_000, () => 1)).toBe(200);
    expect(backoffMs(3, 200, 30_000, () => 1)).toBe(1600);
    expect(backoffMs(20, 200, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(5, 200, 30_000, () => 0)).toBe(0);
  });
});
