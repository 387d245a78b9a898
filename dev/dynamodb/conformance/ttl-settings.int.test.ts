import { DescribeTimeToLiveCommand, UpdateTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openTarget, simpleKeySchema, type ConformanceTarget } from "@/dev/dynamodb/conformance/harness";

let t: ConformanceTarget;
beforeAll(async () => {
  t = await openTarget();
});
afterAll(() => t?.close());

describe("TTL settings", () => {
  it("enables TTL once, describes it, and rejects enabling twice", async () => {
    const name = t.tableName("ttl");
    await t.createTable({ TableName: name, ...simpleKeySchema() });
    const before = await t.ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(before.TimeToLiveDescription?.TimeToLiveStatus).toBe("DISABLED");

    const spec = { Enabled: true, AttributeName: "expiresAt" };
    const res = await t.ddb.send(
      new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: spec }),
    );
    expect(res.TimeToLiveSpecification).toEqual(spec);
    const after = await t.ddb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    // AWS reports ENABLING for a while; the stand-in switches at once.
    expect(["ENABLING", "ENABLED"]).toContain(after.TimeToLiveDescription?.TimeToLiveStatus);
    expect(after.TimeToLiveDescription?.AttributeName).toBe("expiresAt");

    await expect(
      t.ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: spec })),
    ).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/TimeToLive is already enabled/),
    });
  });

  it("answers ResourceNotFoundException for a missing table", async () => {
    await expect(
      t.ddb.send(new DescribeTimeToLiveCommand({ TableName: t.tableName("missing") })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });
});
