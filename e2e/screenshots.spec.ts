import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect, test, type Page, type TestInfo } from "@playwright/test";

import { ADMIN_STATE } from "./auth-state";

/*
 * One screenshot per main page, attached to the test report. `npm run screenshots` (scripts/screenshots.ts)
 * sets RALLY_SCREENSHOTS_DIR so the same shots also refresh docs/screenshots/ for the README.
 */

const outDir = process.env.RALLY_SCREENSHOTS_DIR;

test.use({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce", colorScheme: "light" });
test.describe.configure({ timeout: 180_000 });

/** Waits for the page to settle (no requests for 500 ms, no skeletons), then attaches and maybe saves a shot. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect(page.locator('.animate-pulse, [aria-busy="true"]')).toHaveCount(0, { timeout: 30_000 });
  const body = await page.screenshot({ animations: "disabled", caret: "hide" });
  await testInfo.attach(name, { body, contentType: "image/png" });
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, `${name}.png`), body);
  }
}

/** Base64url JSON filter token, as the users grid writes it. */
const filterToken = (tree: unknown) => Buffer.from(JSON.stringify(tree), "utf8").toString("base64url");

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sign-in page", async ({ page }, testInfo) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await shoot(page, testInfo, "sign-in");
  });
});

test.describe("signed in", () => {
  test.use({ storageState: ADMIN_STATE });

  test("dashboard pages and the public event page", async ({ page }, testInfo) => {
    await page.goto("/users");
    await expect(page.getByTestId("users-total")).toHaveText(/users? match/, { timeout: 30_000 });
    await shoot(page, testInfo, "users");

    await page.goto("/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
    await shoot(page, testInfo, "events");

    // An event with spots left, so its public page shows the registration form.
    const href = await page.evaluate(() => {
      for (const row of document.querySelectorAll("table tbody tr")) {
        const meter = row.querySelector('[role="meter"]');
        const link = row.querySelector("a[href^='/events/']");
        const now = Number(meter?.getAttribute("aria-valuenow"));
        const max = Number(meter?.getAttribute("aria-valuemax"));
        if (link && (!meter || !max || now < max)) return link.getAttribute("href");
      }
      return null;
    });
    expect(href, "an event with spots left").toBeTruthy();
    await page.goto(href!);
    await expect(page.getByRole("heading", { level: 2, name: "Registrations", exact: true })).toBeVisible();
    const publicHref = await page.getByRole("link", { name: /Public page/ }).getAttribute("href");
    await shoot(page, testInfo, "event-detail");

    // The composer for a small audience, with content so the preview renders.
    await page.goto("/campaigns/new");
    const picker = page.getByLabel("Preview for");
    await expect(picker).toBeEnabled({ timeout: 30_000 });
    const label = (await picker.locator("option").first().textContent()) ?? "";
    const email = /<([^>]+)>/.exec(label)?.[1] ?? label.trim();
    await page.goto(`/campaigns/new?filter=${filterToken({ q: email })}`);
    await expect(page.getByTestId("recipient-count")).toHaveText(/^1 recipients$/, { timeout: 30_000 });
    const eventSelect = page.getByLabel("Event", { exact: true });
    await eventSelect.selectOption((await eventSelect.locator("option").nth(1).getAttribute("value")) ?? "");
    await page.getByLabel("Campaign name").fill("Spring meetup invite");
    await page.getByLabel("Subject").fill("See you at {{event.title}}, {{firstName}}");
    await page
      .getByLabel("Body")
      .fill("Hi {{firstName}},\n\nWe saved you a seat at {{event.title}}: {{event.url}}\n\nThe Rally team");
    await expect(page.getByTestId("preview-subject")).toHaveText(/^See you at /, { timeout: 30_000 });
    await shoot(page, testInfo, "campaign-composer");

    await page.getByRole("button", { name: "Send campaign" }).click();
    await page.waitForURL(/\/campaigns\/cmp_/, { timeout: 30_000 });
    await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 90_000 });
    await shoot(page, testInfo, "campaign-detail");

    await page.goto("/analytics?range=30d&by=campaign");
    await expect(page.getByRole("figure", { name: "Campaign funnel" })).toBeVisible({ timeout: 30_000 });
    await shoot(page, testInfo, "analytics");

    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await expect(page.getByRole("figure", { name: "Campaign funnel" })).toBeVisible({ timeout: 30_000 });
    await expect(page.locator("html")).toHaveClass(/dark/);
    await shoot(page, testInfo, "analytics-dark");
    await page.emulateMedia({ colorScheme: "light" });

    expect(publicHref).toMatch(/^\/e\//);
    await page.goto(publicHref!);
    await expect(page.getByRole("button", { name: "Register" })).toBeVisible();
    await shoot(page, testInfo, "public-event");
  });
});
