import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";

describe("/api/inngest", () => {
  afterAll(() => {
    delete process.env.INNGEST_DEV;
  });

  it("serves both functions in dev mode", async () => {
    process.env.INNGEST_DEV = "1";
    const { GET } = await import("@/app/api/inngest/route");
    const res = await GET(new NextRequest("http://127.0.0.1:3000/api/inngest"), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { mode?: string; function_count?: number };
    expect(body.mode).toBe("dev");
    expect(body.function_count).toBe(2);
  });
});
