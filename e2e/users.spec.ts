import { readFileSync } from "node:fs";

import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

import { ADMIN_STATE, VIEWER_STATE } from "./auth-state";

async function emails(page: Page): Promise<string[]> {
  const rows = page.getByRole("table", { name: "Users" }).getByRole("row");
  const out: string[] = [];
  for (let i = 1; i < Math.min(await rows.count(), 6); i++)
    out.push((await rows.nth(i).getByRole("cell").nth(1).textContent()) ?? "");
  return out;
}

const isDescending = (list: string[]) =>
  list.length > 1 && list.every((v, i) => i === 0 || list[i - 1]! >= v);

/** "12 users match" → 12. */
async function total(page: Page): Promise<number> {
  const text = (await page.getByTestId("users-total").textContent()) ?? "";
  const match = /([\d,]+) users? match/.exec(text);
  // -1 while the page is still loading, so expect.poll keeps polling.
  if (!match?.[1]) return -1;
  return Number(match[1].replace(/,/g, ""));
}

test.describe("admin", () => {
  test.use({ storageState: ADMIN_STATE });

  test("sort, next page, filter by company + attended ≥ 1, URL round trip, CSV, save as segment", async ({
    page,
  }) => {
    await page.goto("/users");
    await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByRole("row").nth(1)).toBeVisible();
    await expect(page.getByTestId("users-total")).toHaveText(/\d+ users match/);
    await expect.poll(() => total(page)).toBeGreaterThan(0);
    const everyone = await total(page);
    expect(everyone).toBeGreaterThan(50);

    // Sort by email, descending (second click), and the URL says so.
    const emailHeader = page.getByRole("columnheader", { name: /^Email/ });
    await emailHeader.getByRole("button").click();
    await expect(page).toHaveURL(/sort=email/);
    await emailHeader.getByRole("button").click();
    await expect(page).toHaveURL(/sort=-email/);
    await expect(emailHeader).toHaveAttribute("aria-sort", "descending");
    // The sorted page replaces the previous one once it arrives: wait until the rows are in order.
    await expect.poll(async () => isDescending(await emails(page))).toBe(true);
    const firstEmail = await table.getByRole("row").nth(1).getByRole("cell").nth(1).textContent();

    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page.getByText("Page 2")).toBeVisible();
    await expect(table.getByRole("row").nth(1).getByRole("cell").nth(1)).not.toHaveText(firstEmail ?? "");
    const secondPageEmail =
      (await table.getByRole("row").nth(1).getByRole("cell").nth(1).textContent()) ?? "";
    expect(secondPageEmail < (firstEmail ?? "")).toBe(true);

    // Company: the top facet value (with its count) among everyone.
    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByRole("menuitem", { name: "Company" }).click();
    const dialog = page.getByRole("dialog", { name: "Company" });
    const firstValue = dialog.getByRole("checkbox").first();
    await expect(firstValue).toBeVisible();
    await firstValue.check();
    await dialog.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("button", { name: /^Company: / })).toBeVisible();
    await expect(page).toHaveURL(/filter=/);
    await expect.poll(() => total(page)).toBeLessThan(everyone);
    const company = ((await page.getByRole("button", { name: /^Company: / }).textContent()) ?? "").replace(
      /^Company: /,
      "",
    );

    await page.getByRole("button", { name: "Add filter" }).click();
    await page.getByRole("menuitem", { name: "Attended events" }).click();
    const range = page.getByRole("dialog", { name: "Attended events" });
    await range.getByLabel("Minimum").fill("1");
    await range.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByRole("button", { name: "Attended events: ≥ 1", exact: true })).toBeVisible();
    const filteredUrl = page.url();

    // Reload keeps everything (a fresh load also means the total below belongs to this filter).
    await page.reload();
    await expect(page.getByRole("button", { name: "Attended events: ≥ 1", exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: /^Company: / })).toBeVisible();
    expect(page.url()).toBe(filteredUrl);
    await expect(page.getByText("Page 1")).toBeVisible();
    await expect.poll(() => total(page)).toBeGreaterThanOrEqual(0);
    const filtered = await total(page);

    // Every row matches: the company column, and attended ≥ 1.
    const rows = table.getByRole("row");
    const rowCount = Math.min(await rows.count(), 6);
    for (let i = 1; i < rowCount; i++) {
      const cells = rows.nth(i).getByRole("cell");
      await expect(cells.nth(2)).toHaveText(new RegExp(company.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i"));
      expect(Number(await cells.nth(8).textContent())).toBeGreaterThanOrEqual(1);
    }

    // CSV of the current filter: header plus one line per matching user, each with the company.
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const download = await downloadPromise;
    const csv = readFileSync((await download.path())!, "utf8");
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(
      "id,firstName,lastName,email,phoneNumber,gender,jobTitle,company,city,state,hostedEventCount,attendedEventCount,createdAt",
    );
    expect(lines).toHaveLength(filtered + 1);
    for (const line of lines.slice(1)) expect(line.toLowerCase()).toContain(company.toLowerCase());

    // Email these users carries the same filter to the composer.
    await expect(page.getByRole("link", { name: "Email these users" })).toHaveAttribute(
      "href",
      /^\/campaigns\/new\?filter=/,
    );

    await page.getByRole("button", { name: "Save as segment" }).click();
    const save = page.getByRole("dialog", { name: "Save as segment" });
    await save.getByRole("button", { name: "Save segment" }).click();
    await expect(save.getByText("Must not be empty.")).toBeVisible();
    await save.getByLabel("Segment name").fill(`E2E segment ${Date.now()}`);
    await save.getByRole("button", { name: "Save segment" }).click();
    await expect(page.getByText(`Segment saved: ${filtered} users right now`)).toBeVisible();

    // Back steps to the company-only filter.
    await page.goBack();
    await expect(page.getByRole("button", { name: /^Company: / })).toBeVisible();
    await expect(page.getByRole("button", { name: "Attended events: ≥ 1", exact: true })).toHaveCount(0);
  });
});

test.describe("viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("reads and exports, but cannot create, edit, delete, save or email", async ({ page }) => {
    await page.goto("/users");
    await expect(page.getByRole("table", { name: "Users" }).getByRole("row").nth(1)).toBeVisible();
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
    await expect(page.getByRole("button", { name: "New user" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Save as segment" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Email these users" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Edit / })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
  });
});

test.describe("accessibility", () => {
  test.use({ storageState: ADMIN_STATE });

  for (const colorScheme of ["light", "dark"] as const) {
    test(`users page and its filter dialog pass axe at 375 px, ${colorScheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto("/users");
      await expect(page.getByRole("table", { name: "Users" }).getByRole("row").nth(1)).toBeVisible();
      const check = async (where: string) => {
        const result = await new AxeBuilder({ page })
          .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
          .analyze();
        const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(
          serious.map((v) => `${where} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
        ).toEqual([]);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        expect(sideways, `${where} scrolls sideways at 375 px`).toBe(false);
      };
      await check("grid");

      // Keyboard: open "Add filter", pick City with the arrow keys, see its facet counts.
      await page.getByRole("button", { name: "Add filter" }).focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("menuitem", { name: "Company" })).toBeFocused();
      // One key at a time: the menu moves focus asynchronously, and a second press can land before it.
      await page.keyboard.press("ArrowDown");
      await expect(page.getByRole("menuitem", { name: "Job title" })).toBeFocused();
      await page.keyboard.press("ArrowDown");
      await expect(page.getByRole("menuitem", { name: "City" })).toBeFocused();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog", { name: "City" });
      await expect(dialog.getByRole("checkbox").first()).toBeVisible();
      await check("city dialog");
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
    });
  }
});
