import { expect, test, type Page, type TestInfo } from "@playwright/test";

import { readStackInfo, sesEmails, type StoredEmail } from "./stack-info";

/*
 * The organizer's whole loop on the e2e stack (production build, in-memory stand-ins, 300 demo users):
 * sign in → create an event → filter users (attended ≥ 1 + a company) → save the segment → email the
 * filtered users about the event → the SES emulator holds the emails → a recipient opens the tracked link
 * (302 to the public page with UTM) and registers → analytics counts that registration for the campaign's
 * utm_campaign. Waits are on UI state only; timeouts are generous for a loaded 2-core machine.
 *
 * The composer takes the users filter, not a segment id, so the campaign goes to the filter the segment
 * was saved from (same tree, same members).
 */

test.describe.configure({ timeout: 300_000 });

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/** Picks the first suggestion of a user combobox; retried, as suggestions can re-render under load. */
async function pickFirstUser(page: Page, label: string, typed: string): Promise<void> {
  const box = page.getByRole("combobox", { name: label });
  await expect(async () => {
    await box.fill(typed);
    const option = page.getByRole("listbox", { name: "Matching users" }).getByRole("option").first();
    await option.click({ timeout: 10_000 });
    await expect(box).not.toHaveValue(typed, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
}

/** Undoes the HTML escaping the template engine (or the emulator's Handlebars) applied to a stored part. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const countOf = (text: string | null): number => Number((text ?? "").replace(/[^\d]/g, ""));

test("sign in → event → filtered users → segment → campaign → SES → tracked link → registration → analytics", async ({
  page,
  browser,
}, testInfo) => {
  const stack = await readStackInfo();
  const stamp = Date.now();
  const title = `Journey meetup ${stamp}`;

  await test.step("sign in", async () => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("admin@rally.local");
    await page.getByLabel("Password", { exact: true }).fill("rally-demo-admin");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
  });

  const slug = await test.step("create an event", async () => {
    const year = new Date().getUTCFullYear() + 1;
    await page.goto("/events/new");
    await page.getByLabel("Title").fill(title);
    await page.getByLabel("Starts").fill(`${year}-05-04T18:00`);
    await page.getByLabel("Ends").fill(`${year}-05-04T21:00`);
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel("Capacity").fill("500");
    await page.getByLabel("Venue").fill("Journey Hall");
    await pickFirstUser(page, "Owner", "a");
    await page.getByRole("button", { name: "Create event" }).click();
    await page.waitForURL(/\/events\/[^/]+$/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const href = await page.getByRole("link", { name: /Public page/ }).getAttribute("href");
    const found = /^\/e\/([^/?#]+)$/.exec(href ?? "")?.[1];
    expect(found, `public page link ${href}`).toBeTruthy();
    await attachScreenshot(page, testInfo, "event-detail");
    return found!;
  });

  const { audience, filterUrl } = await test.step("filter users by attended ≥ 1 and a company", async () => {
    await page.goto("/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    const total = page.getByTestId("users-total");
    await expect(total).toHaveText(/users? match/, { timeout: 30_000 });

    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByRole("menuitem", { name: "Attended events" }).click();
    const rangeDialog = page.getByRole("dialog", { name: "Attended events" });
    await rangeDialog.getByLabel("Minimum").fill("1");
    await rangeDialog.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTitle("Attended events: ≥ 1")).toBeVisible();

    // The company facet counts only users who already match "attended ≥ 1": its count is the audience.
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByRole("menuitem", { name: "Company" }).click();
    const companyDialog = page.getByRole("dialog", { name: "Company" });
    const firstCompany = companyDialog.locator("fieldset label").first();
    await expect(firstCompany).toBeVisible({ timeout: 30_000 });
    const company = (await firstCompany.locator("span").first().textContent())?.trim() ?? "";
    const n = countOf(await firstCompany.locator("span").last().textContent());
    expect(n).toBeGreaterThanOrEqual(1);
    await firstCompany.getByRole("checkbox").check();
    await companyDialog.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByTitle(/^Company: /)).toBeVisible();
    expect(company).not.toBe("");

    await expect(page).toHaveURL(/[?&]filter=/);
    await expect(total).toHaveText(`${n.toLocaleString("en-US")} ${n === 1 ? "user" : "users"} match`, {
      timeout: 30_000,
    });
    await attachScreenshot(page, testInfo, "users-filtered");
    return { audience: n, filterUrl: page.url() };
  });

  await test.step("save the filter as a segment", async () => {
    await page.getByRole("button", { name: "Save as segment" }).click();
    const dialog = page.getByRole("dialog", { name: "Save as segment" });
    await dialog.getByLabel("Segment name").fill(`Journey segment ${stamp}`);
    await dialog.getByRole("button", { name: "Save segment" }).click();
    await expect(
      page.getByText(`Segment saved: ${audience.toLocaleString("en-US")} users right now`),
    ).toBeVisible({
      timeout: 30_000,
    });
    await expect(dialog).toBeHidden();
  });

  const campaignName = `Journey campaign ${stamp}`;
  await test.step("compose and send a campaign to the filtered users", async () => {
    await page.goto(filterUrl);
    await page.getByRole("link", { name: "Email these users" }).click();
    await page.waitForURL(/\/campaigns\/new\?filter=/);
    await expect(page.getByLabel("Users matching the filter from the Users page")).toBeChecked();
    await expect(page.getByTestId("recipient-count")).toHaveText(`${audience} recipients`, {
      timeout: 30_000,
    });

    await page.getByLabel("Event", { exact: true }).selectOption({ label: title });
    await expect(page.getByLabel("utm_campaign")).toHaveValue(slug);
    await page.getByLabel("Campaign name").fill(campaignName);
    await page.getByLabel("Subject").fill(`You're invited: ${title}`);
    // A literal link: sent emails render {{event.*}} empty today (the fan-out gets no campaign.event).
    await page
      .getByLabel("Body")
      .fill(
        `Hi {{firstName}},\n\nSave your spot: ${stack.appUrl}/e/${slug}\n\n` +
          "Invited as {{firstName}} {{lastName}} ({{email}}).",
      );
    await expect(page.locator("#body-error")).toHaveCount(0);
    await expect(page.getByTestId("preview-subject")).toHaveText(`You're invited: ${title}`, {
      timeout: 30_000,
    });
    await attachScreenshot(page, testInfo, "campaign-composer");

    await page.getByRole("button", { name: "Send campaign" }).click();
    await page.waitForURL(/\/campaigns\/cmp_/, { timeout: 30_000 });
    await expect(page.getByRole("heading", { level: 1, name: campaignName })).toBeVisible();
    await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 120_000 });
    await expect(page.getByTestId("count-sent")).toHaveText(String(audience));
    await attachScreenshot(page, testInfo, "campaign-detail");
  });

  const email = await test.step("the SES emulator holds one email per recipient", async () => {
    let ours: StoredEmail[] = [];
    await expect(async () => {
      ours = (await sesEmails(stack.sesEndpoint)).filter((e) => e.subject === `You're invited: ${title}`);
      expect(ours).toHaveLength(audience);
    }).toPass({ timeout: 30_000 });
    const recipients = new Set(ours.map((e) => e.destination.to[0]));
    expect(recipients.size).toBe(audience);
    return ours[0]!;
  });

  const recipient = await test.step("read the recipient and the tracked link from the email", async () => {
    await testInfo.attach("email.json", {
      body: JSON.stringify(email, null, 2),
      contentType: "application/json",
    });
    const text = decodeEntities(email.body.text ?? "");
    const html = decodeEntities(email.body.html ?? "");
    const first = /^Hi (.+),$/m.exec(text)?.[1];
    const invited = /^Invited as (.+) \(([^()\s]+@[^()\s]+)\)\.$/m.exec(text);
    expect(first, text).toBeTruthy();
    expect(invited, text).toBeTruthy();
    const fullName = invited![1]!;
    expect(fullName.startsWith(`${first} `)).toBe(true);
    // Links in both parts are rewritten to ${APP_URL}/r/<token>; APP_URL must be this server.
    const tracked = /https?:\/\/[^\s"'<>]+\/r\/[^\s"'<>)\]]+/g;
    const htmlLinks = html.match(tracked) ?? [];
    const textLinks = text.match(tracked) ?? [];
    expect(htmlLinks.length, "tracked links in the HTML part").toBeGreaterThanOrEqual(1);
    expect(textLinks.length, "tracked links in the text part").toBeGreaterThanOrEqual(1);
    const link = textLinks[0]!;
    expect(new URL(link).origin).toBe(new URL(stack.appUrl).origin);
    return {
      firstName: first!,
      lastName: fullName.slice(first!.length + 1),
      address: invited![2]!,
      link,
    };
  });

  await test.step("the tracked link redirects (302) to the public page with UTM, and registration works", async () => {
    const response = await page.request.get(recipient.link, { maxRedirects: 0 });
    expect(response.status()).toBe(302);
    const location = new URL(response.headers()["location"] ?? "", stack.appUrl);
    expect(location.pathname).toBe(`/e/${slug}`);
    expect(location.searchParams.get("utm_source")).toBe("email");
    expect(location.searchParams.get("utm_medium")).toBe("email");
    expect(location.searchParams.get("utm_campaign")).toBe(slug);

    // The recipient is not a dashboard member: a fresh, signed-out browser context.
    const visitor = await browser.newContext();
    try {
      const landing = await visitor.newPage();
      await landing.goto(recipient.link);
      await landing.waitForURL((url) => url.pathname === `/e/${slug}`);
      expect(new URL(landing.url()).searchParams.get("utm_campaign")).toBe(slug);
      await expect(landing.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await attachScreenshot(landing, testInfo, "public-event-page");

      await landing.getByLabel("First name").fill(recipient.firstName);
      await landing.getByLabel("Last name").fill(recipient.lastName);
      await landing.getByLabel("Email").fill(recipient.address);
      await landing.getByRole("button", { name: "Register" }).click();
      await expect(landing.getByText("You're registered!")).toBeVisible({ timeout: 30_000 });
      await attachScreenshot(landing, testInfo, "public-event-registered");
    } finally {
      await visitor.close();
    }
  });

  await test.step("analytics shows one registration for the campaign's utm_campaign", async () => {
    const row = page
      .getByRole("region", { name: "Breakdown table" })
      .getByRole("row")
      .filter({ has: page.getByRole("cell", { name: slug, exact: true }) });
    // Rollups follow writes within a refresh or two; reload until the row has the registration.
    await expect(async () => {
      await page.goto(`/analytics?by=utm_campaign&utm_campaign=${encodeURIComponent(slug)}`);
      await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
      await expect(row.getByRole("cell").nth(1)).toHaveText(String(audience), { timeout: 5_000 });
      await expect(row.getByRole("cell").nth(5)).toHaveText("1", { timeout: 5_000 });
    }).toPass({ timeout: 90_000, intervals: [2_000, 5_000] });
    await attachScreenshot(page, testInfo, "analytics");
  });

  await test.step("the event lists the new registration", async () => {
    await page.goto("/events");
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole("meter", { name: "Registrations" })).toHaveAttribute("aria-valuenow", "1");
  });
});
