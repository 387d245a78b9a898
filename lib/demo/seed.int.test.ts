import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";

import { GET as listUsers } from "@/app/api/users/route";
import { getDb, tableName } from "@/lib/db/client";
import { generateDemoData } from "@/lib/demo/generate";
import { ensureDemoApiKey, seedDemo } from "@/lib/demo/seed";
import { verifyCounters } from "@/lib/demo/verify";
import { call, setupIntegration } from "@/test/integration";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

setupIntegration();

const countItems = async () => {
  const out = await getDb().send(new ScanCommand({ TableName: tableName(), Select: "COUNT" }));
  return out.Count ?? 0;
};

describe("demo data", { timeout: 120_000 }, () => {
  it("is deterministic for a seed and skewed (few companies dominate)", () => {
    const a = generateDemoData({ users: 2000, events: 10 });
    const b = generateDemoData({ users: 2000, events: 10 });
    expect(a.users.map((u) => u.id)).toEqual(b.users.map((u) => u.id));
    expect(new Set(a.users.map((u) => u.email)).size).toBe(2000);
    const counts = new Map<string, number>();
    for (const u of a.users) if (u.company) counts.set(u.company, (counts.get(u.company) ?? 0) + 1);
    const sorted = [...counts.values()].sort((x, y) => y - x);
    expect(sorted[0]!).toBeGreaterThan(10 * sorted[sorted.length - 1]!);
  });

  it("seeds once with exact counters; a second run changes nothing", async () => {
    const first = await seedDemo({ users: 600, events: 8 });
    expect(first.skipped).toBe(false);
    expect(await verifyCounters()).toEqual([]);
    const before = await countItems();
    const second = await seedDemo({ users: 600, events: 8 });
    expect(second.skipped).toBe(true);
    expect(await countItems()).toBe(before);
  });

  it("ensureDemoApiKey returns the same working key every run, storing only its hash", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "rally-demo-"));
    const key = await ensureDemoApiKey({ dataDir });
    expect(await ensureDemoApiKey({ dataDir })).toBe(key);
    const res = await call(listUsers, "GET", "/api/users?limit=2", {}, { key });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    const scan = await getDb().send(new ScanCommand({ TableName: tableName() }));
    expect(JSON.stringify(scan.Items)).not.toContain(key);
  });
});
