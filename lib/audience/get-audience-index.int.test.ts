import { afterAll, describe, expect, it } from "vitest";

import { getAudienceIndex, stopAudienceIndex } from "@/lib/audience/get-audience-index";
import { makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();
afterAll(() => stopAudienceIndex());

describe("getAudienceIndex", () => {
  it("builds once from the table, then follows writes in the background", async () => {
    const ann = await makeUser(fx.ctx, { firstName: "Ann", company: "Acme" });
    const [a, b] = await Promise.all([getAudienceIndex(), getAudienceIndex()]);
    expect(a).toBe(b);
    expect(await a.count({ field: "company", in: ["acme"] })).toBe(1);

    await makeUser(fx.ctx, { firstName: "Bea", company: "ACME" });
    // The follower polls every 500 ms when idle; wait for it instead of sleeping a fixed time.
    await expect.poll(() => a.count({ field: "company", in: ["acme"] }), { timeout: 10_000 }).toBe(2);
    const page = await a.query({ filter: { q: "ann" }, limit: 10 });
    expect(page.items.map((u) => u.id)).toEqual([ann.id]);
  });
});
