import { UnavailableError } from "@/lib/errors";

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseMs: 20, capMs: 1000 };

const RETRYABLE_ERROR_NAMES = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  // A single-item write that collided with a running transaction.
  "TransactionConflictException",
]);

const RETRYABLE_REASON_CODES = new Set([
  "TransactionConflict",
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

interface CancellationReasonLike {
  Code?: string;
}

/**
 * Whether an SDK error is transient. A cancelled transaction is retried only when no reason is a real
 * condition failure: those are answers (duplicate, full, missing), not noise.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const name = (error as { name?: string }).name ?? "";
  if (name === "TransactionCanceledException") {
    const reasons = (
      (error as { CancellationReasons?: CancellationReasonLike[] }).CancellationReasons ?? []
    ).map((r) => r.Code ?? "None");
    if (reasons.includes("ConditionalCheckFailed")) return false;
    return reasons.some((code) => RETRYABLE_REASON_CODES.has(code));
  }
  return RETRYABLE_ERROR_NAMES.has(name);
}

/** Full-jitter exponential backoff: uniform in [0, min(cap, base · 2^attempt)). attempt starts at 0. */
export function backoffMs(
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryOptions {
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Process-wide counters, read by tests and benchmarks to show retries really happened. */
export const retryStats = { retries: 0, exhausted: 0 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a DynamoDB call, retrying transient failures with bounded full-jitter backoff.
 * @throws UnavailableError when every attempt failed transiently; otherwise the call's own error.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      lastError = error;
      retryStats.retries++;
      if (attempt + 1 < policy.maxAttempts) await sleep(backoffMs(attempt, policy, options.random));
    }
  }
  retryStats.exhausted++;
  throw new UnavailableError("The database is busy; please retry shortly.", lastError);
}
