import { readFile } from "node:fs/promises";

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/*
 * Analytics against the e2e stack. The demo seed has no campaign activity, so the test first sends a
 * one-person campaign through the composer; the funnel and the breakdown then have real numbers.
 */

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

async function sendOneCampaign(page: Page): Promise<void> {
  await page.goto("/campaigns/new");
  const picker = page.getByLabel("Preview for");
  await expect(picker).toBeEnabled();
  const label = (await picker.locator("option").first().textContent()) ?? "";
  const email = /<([^>]+)>/.exec(label)?.[1] ?? label.trim();
  const token = Buffer.from(JSON.stringify({ q: email }), "utf8").toString("base64url");
  await page.goto(`/campaigns/new?filter=${token}`);
  await expect(page.getByTestId("recipient-count")).toHaveText(/^1 recipients$/);
  await page.getByLabel("Campaign name").fill(`Analytics e2e ${Date.now()}`);
  await page.getByLabel("utm_source").fill("e2e-news");
  await page.getByLabel("Subject").fill("Hi {{firstName}}");
  await page.getByLabel("Body").fill("See https://example.com/launch");
  await page.getByRole("button", { name: "Send campaign" }).click();
  await page.waitForURL(/\/campaigns\/cmp_/);
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 45_000 });
}

test("funnel renders, filters live in the URL, and the CSV download holds the breakdown", async ({
  page,
}) => {
  await signIn(page, "admin@rally.local", "rally-demo-admin");
  await sendOneCampaign(page);

  await page.goto("/analytics");
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  const funnel = page.getByRole("figure", { name: "Campaign funnel" });
  await expect(funnel).toBeVisible();
  // The figure's screen-reader table carries the numbers.
  await expect(funnel.getByRole("row", { name: /^Sent\b/ })).toContainText(/[1-9]/);

  // Filters go into the URL and the back button restores them.
  await page.getByLabel("Date range").selectOption("7");
  await page.getByLabel("utm_source").fill("e2e-news");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page).toHaveURL(/utm_source=e2e-news/);
  await page.getByLabel("Interval").selectOption("hour");
  await expect(page).toHaveURL(/interval=hour/);
  await page.goBack();
  await expect(page).not.toHaveURL(/interval=hour/);
  await expect(page.getByLabel("utm_source")).toHaveValue("e2e-news");

  const table = page.getByRole("region", { name: "Breakdown table" });
  await expect(table.getByRole("row").filter({ hasText: "e2e-news" })).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    /^rally-breakdown-utm_source-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toMatch(/^utm_source,sent,failed,pending,delivered,/);
  const row = lines.find((l) => l.startsWith("e2e-news,"));
  expect(row).toBeDefined();
  expect(Number(row!.split(",")[1])).toBeGreaterThanOrEqual(1);

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(
    axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);
});

test("viewer can read analytics; at 375 px the page does not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signIn(page, "viewer@rally.local", "rally-demo-viewer");
  await page.goto("/analytics?range=90d&by=campaign");
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Campaign funnel" })).toBeVisible();
  await expect(page.getByLabel("Break down by")).toHaveValue("campaign");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
