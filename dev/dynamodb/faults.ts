import { DynamoError } from "@/dev/dynamodb/errors";

export interface FaultConfig {
  /** Fraction (0..1) of transactions cancelled with a TransactionConflict reason. */
  transactionConflictRate?: number;
  /** Fraction (0..1) of data-plane requests answered with a throttling error. */
  throttleRate?: number;
}

function checkRate(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new RangeError(`${name} must be a number from 0 to 1, got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Parses a fault setting from untrusted JSON; throws RangeError naming the bad field. */
export function parseFaultConfig(input: unknown): Required<FaultConfig> {
  const obj = (input && typeof input === "object" ? input : {}) as Record<string, unknown>;
  return {
    transactionConflictRate: checkRate("transactionConflictRate", obj.transactionConflictRate),
    throttleRate: checkRate("throttleRate", obj.throttleRate),
  };
}

/** Decides, per request, whether to inject a fault. Off (both rates 0) by default. */
export class FaultSwitch {
  private config: Required<FaultConfig> = { transactionConflictRate: 0, throttleRate: 0 };

  constructor(
    initial: FaultConfig = {},
    private readonly random: () => number = Math.random,
  ) {
    this.set(initial);
  }

  /** Replaces the whole setting (unset rates become 0); throws RangeError for rates outside 0..1. */
  set(config: FaultConfig): void {
    this.config = parseFaultConfig(config);
  }

  get(): Required<FaultConfig> {
    return { ...this.config };
  }

  shouldConflict(): boolean {
    return this.config.transactionConflictRate > 0 && this.random() < this.config.transactionConflictRate;
  }

  /** A throttling error as DynamoDB sends it, or undefined when this request passes. */
  throttle(): DynamoError | undefined {
    if (this.config.throttleRate <= 0 || this.random() >= this.config.throttleRate) return undefined;
    // DynamoDB answers both, depending on whether the table or the account limit was hit.
    return this.random() < 0.5
      ? new DynamoError(
          "ProvisionedThroughputExceededException",
          "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
        )
      : new DynamoError(
          "com.amazon.coral.availability#ThrottlingException",
          "Rate of requests exceeds the allowed throughput.",
        );
  }
}
