/*
 * Token bucket for the SES send rate (SendQuota.MaxSendRate counts recipients per second). The clock and the
 * sleep are injectable so the logic is tested without real time.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimiterOptions {
  /** Tokens per second; Infinity means unlimited (benchmarks, local emulator). */
  ratePerSecond: number;
  /** Bucket size; defaults to one second of tokens (at least 1). */
  burst?: number;
  clock?: Clock;
}

export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  private readonly clock: Clock;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError("ratePerSecond must be > 0");
    this.ratePerSecond = options.ratePerSecond;
    this.burst = options.burst ?? Math.max(1, options.ratePerSecond);
    this.clock = options.clock ?? systemClock;
    this.tokens = this.burst;
    this.updatedAt = this.clock.now();
  }

  get unlimited(): boolean {
    return !Number.isFinite(this.ratePerSecond);
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }

  /**
   * Waits until `n` tokens may be spent, then spends them. Callers are served in arrival order. A request
   * larger than the bucket waits for a full bucket and leaves a debt the next caller waits out, so the
   * long-run rate never exceeds ratePerSecond.
   */
  acquire(n = 1): Promise<void> {
    if (this.unlimited || n <= 0) return Promise.resolve();
    const turn = this.queue.then(async () => {
      this.refill();
      const need = Math.min(n, this.burst);
      if (this.tokens < need) {
        await this.clock.sleep(Math.ceil(((need - this.tokens) / this.ratePerSecond) * 1000));
        this.refill();
      }
      this.tokens -= n;
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^attempt)]. */
export function backoffMs(attempt: number, baseMs = 200, capMs = 30_000, random: () => number = Math.random) {
  return Math.round(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
