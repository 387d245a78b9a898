import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";

import PublicEventPage from "@/app/e/[slug]/page";
import { submitPublicRegistration } from "@/lib/attribution/public-form";
import { signToken } from "@/lib/tracking/tokens";
import { listRegistrations } from "@/lib/db/registrations-repo";
import { makeEvent, makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();

async function render(slug: string, search: Record<string, string> = {}): Promise<string> {
  const element = await PublicEventPage({
    params: Promise.resolve({ slug }),
    searchParams: Promise.resolve(search),
  });
  return renderToStaticMarkup(element);
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

describe("/e/[slug]", () => {
  it("shows the event and carries UTM values and the token into hidden fields", async () => {
    const host = await makeUser(fx.ctx, { firstName: "Hedy", lastName: "Lamarr" });
    const event = await makeEvent(fx.ctx, host.id, {
      slug: `page-${Date.now()}`,
      title: "Radio Night",
      venue: "Hall 2",
      timeZone: "Europe/Berlin",
      maxCapacity: 10,
    });
    const html = await render(event.slug, {
      utm_source: "newsletter",
      utm_campaign: "spring",
      rt: "abc.def",
    });
    expect(html).toContain("Radio Night");
    expect(html).toContain("Hall 2");
    expect(html).toContain("Hedy Lamarr");
    expect(html).toContain("10 of 10");
    expect(html).toContain("19:00"); // 18:00Z in Berlin (CET)
    expect(html).toContain('<input type="hidden" name="utm_source" value="newsletter"/>');
    expect(html).toContain('<input type="hidden" name="rt" value="abc.def"/>');
    expect(html).toMatch(/<label[^>]*for="field-email"[^>]*>Email<\/label>/);
  });

  it("registers through the form post, keeps attribution, and refuses when full", async () => {
    const host = await makeUser(fx.ctx);
    const event = await makeEvent(fx.ctx, host.id, { slug: `full-${Date.now()}`, maxCapacity: 1 });
    const token = signToken({
      kind: "click",
      campaignId: "cmp-page",
      recipientId: "r-1",
      linkIndex: 1,
      url: "https://example.com/",
      utm: { source: "newsletter", medium: "email", campaign: "fall" },
    });
    const location = await submitPublicRegistration(
      form({
        slug: event.slug,
        firstName: "Mary",
        lastName: "Jackson",
        email: `mary.${Date.now()}@example.com`,
        utm_source: "newsletter",
        utm_medium: "email",
        utm_campaign: "fall",
        rt: token,
      }),
    );
    const url = new URL(location, "http://x");
    expect(url.pathname).toBe(`/e/${event.slug}`);
    expect(url.searchParams.get("status")).toBe("registered");
    expect(url.searchParams.get("utm_campaign")).toBe("fall");
    expect(location).not.toContain("mary");
    const [reg] = (await listRegistrations(event.id, { limit: 5 })).items;
    expect(reg).toMatchObject({
      source: "public",
      utm: { source: "newsletter", medium: "email", campaign: "fall" },
      campaignId: "cmp-page",
      messageId: "cmp-page:r-1",
      campaignToken: token,
    });
    expect(await render(event.slug, { status: "registered" })).toContain("You&#x27;re registered!");

    const second = await submitPublicRegistration(
      form({
        slug: event.slug,
        firstName: "Kat",
        lastName: "Johnson",
        email: `kat.${Date.now()}@example.com`,
      }),
    );
    expect(new URL(second, "http://x").searchParams.get("status")).toBe("event_full");
    expect((await listRegistrations(event.id, { limit: 5 })).items).toHaveLength(1);
    const fullHtml = await render(event.slug);
    expect(fullHtml).toContain("This event is full");
    expect(fullHtml).not.toContain("<form");

    const invalid = await submitPublicRegistration(
      form({ slug: event.slug, firstName: "", lastName: "x", email: "bad" }),
    );
    expect(new URL(invalid, "http://x").searchParams.get("fields")).toBe("firstName,email");
  });
});
