import { afterAll, describe, expect, it } from "vitest";

import { countUsers, exportUsersCsv, facetUsers } from "@/lib/audience/filter-users";
import { stopAudienceIndex } from "@/lib/audience/get-audience-index";
import { makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();
afterAll(() => stopAudienceIndex());

describe("exportUsersCsv and facetUsers", () => {
  it("streams every matching user across pages, with the header row", async () => {
    const company = `Csv, "Co" ${Math.random().toString(36).slice(2, 6)}`;
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await makeUser(fx.ctx, { company, city: i < 2 ? "Oslo" : "Rome" }));
    const filter = { field: "company" as const, in: [company] };
    await expect.poll(() => countUsers({ ctx: fx.ctx, input: { filter } }), { timeout: 5_000 }).toBe(3);

    const stream = await exportUsersCsv({
      ctx: fx.ctx,
      input: { filter, sort: { field: "email", order: "asc" } },
    });
    const text = await new Response(stream).text();
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "id,firstName,lastName,email,phoneNumber,gender,jobTitle,company,city,state,hostedEventCount,attendedEventCount,createdAt",
    );
    expect(lines).toHaveLength(4);
    const emails = made.map((u) => u.email).sort();
    lines.slice(1).forEach((line, i) => {
      expect(line).toContain(`,${emails[i]},`);
      expect(line).toContain(`"${company.replace(/"/g, '""')}"`);
    });

    const facets = await facetUsers({ ctx: fx.ctx, input: { filter, fields: ["city"] } });
    expect(facets.city).toEqual([
      expect.objectContaining({ value: "oslo", count: 2 }),
      expect.objectContaining({ value: "rome", count: 1 }),
    ]);
  });

  it("refuses a context without an actor", async () => {
    await expect(exportUsersCsv({ ctx: { actor: null }, input: { filter: { all: [] } } })).rejects.toThrow();
  });
});
