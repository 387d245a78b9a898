import { describe, expect, it } from "vitest";

import { FaultSwitch, parseFaultConfig } from "@/dev/dynamodb/faults";

/** A fixed sequence of "random" numbers, repeated. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("FaultSwitch", () => {
  it("is off by default", () => {
    const faults = new FaultSwitch({}, () => 0);
    expect(faults.get()).toEqual({ transactionConflictRate: 0, throttleRate: 0 });
    expect(faults.shouldConflict()).toBe(false);
    expect(faults.throttle()).toBeUndefined();
  });

  it("injects conflicts at the configured rate", () => {
    const faults = new FaultSwitch({ transactionConflictRate: 0.25 }, sequence(0.1, 0.3, 0.5, 0.9));
    const hits = Array.from({ length: 8 }, () => faults.shouldConflict()).filter(Boolean);
    expect(hits).toHaveLength(2);
  });

  it("throttles with both error shapes DynamoDB uses", () => {
    const faults = new FaultSwitch({ throttleRate: 1 }, sequence(0, 0.2, 0, 0.8));
    const a = faults.throttle();
    const b = faults.throttle();
    expect(a?.shortName).toBe("ProvisionedThroughputExceededException");
    expect(b?.shortName).toBe("ThrottlingException");
    expect(a?.status).toBe(400);
    expect(b?.toBody().__type).toBe("com.amazon.coral.availability#ThrottlingException");
  });

  it("switches off again and rejects rates outside 0..1", () => {
    const faults = new FaultSwitch({ throttleRate: 1 }, () => 0);
    faults.set({});
    expect(faults.throttle()).toBeUndefined();
    expect(() => faults.set({ throttleRate: 1.5 })).toThrow(RangeError);
    expect(() => parseFaultConfig({ transactionConflictRate: "0.5" })).toThrow(/transactionConflictRate/);
  });
});
