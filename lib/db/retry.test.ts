import { describe, expect, it } from "vitest";

import { type RetryPolicy, backoffMs, isRetryable, withRetry } from "@/lib/db/retry";
import { UnavailableError } from "@/lib/errors";

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });
const cancelled = (...codes: string[]) =>
  named("TransactionCanceledException", { CancellationReasons: codes.map((Code) => ({ Code })) });

describe("isRetryable", () => {
  it("retries throttling, server errors and conflict-only cancellations", () => {
    for (const n of [
      "ThrottlingException",
      "ProvisionedThroughputExceededException",
      "RequestLimitExceeded",
      "InternalServerError",
      "TransactionConflictException",
    ]) {
      expect(isRetryable(named(n)), n).toBe(true);
    }
    expect(isRetryable(cancelled("None", "TransactionConflict"))).toBe(true);
    expect(isRetryable(cancelled("ThrottlingError", "None"))).toBe(true);
  });

  it("does not retry answers: condition failures, validation, unknown errors", () => {
    expect(isRetryable(cancelled("ConditionalCheckFailed", "TransactionConflict"))).toBe(false);
    expect(isRetryable(cancelled("None", "ConditionalCheckFailed"))).toBe(false);
    expect(isRetryable(named("ValidationException"))).toBe(false);
    expect(isRetryable(named("ConditionalCheckFailedException"))).toBe(false);
    expect(isRetryable(new Error("boom"))).toBe(false);
    expect(isRetryable("string")).toBe(false);
  });
});

describe("backoffMs (full jitter)", () => {
  const policy: RetryPolicy = { maxAttempts: 8, baseMs: 20, capMs: 1000 };
  it("stays within [0, min(cap, base·2^n))", () => {
    expect(backoffMs(0, policy, () => 0.999)).toBe(19);
    expect(backoffMs(3, policy, () => 0.5)).toBe(80);
    expect(backoffMs(10, policy, () => 0.999)).toBe(999);
    expect(backoffMs(4, policy, () => 0)).toBe(0);
  });
});

describe("withRetry", () => {
  const fast = {
    policy: { maxAttempts: 5, baseMs: 10, capMs: 100 },
    sleep: async () => {},
    random: () => 0.5,
  };

  it("returns after transient failures and sleeps between attempts", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw cancelled("TransactionConflict");
        return "ok";
      },
      { ...fast, sleep: async (ms) => void sleeps.push(ms) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(sleeps).toEqual([5, 10]);
  });

  it("gives up after maxAttempts with UnavailableError carrying the cause", async () => {
    let calls = 0;
    const error = await withRetry(async () => {
      calls++;
      throw named("ThrottlingException");
    }, fast).catch((e: unknown) => e);
    expect(calls).toBe(5);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe("unavailable");
    expect(((error as Error).cause as Error).name).toBe("ThrottlingException");
  });

  it("rethrows non-retryable errors at once", async () => {
    let calls = 0;
    const boom = cancelled("ConditionalCheckFailed");
    await expect(
      withRetry(async () => {
        calls++;
        throw boom;
      }, fast),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});
