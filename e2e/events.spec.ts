import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

import { ADMIN_STATE } from "./auth-state";

test.use({ storageState: ADMIN_STATE });

/** Picks the first suggestion of a user combobox and returns the picked user's name. */
async function pickFirstUser(page: Page, label: string, typed: string): Promise<string> {
  const box = page.getByRole("combobox", { name: label });
  let name = "";
  // The list can still be swapping from an earlier search when the keys land: retry until the pick took and
  // the picker's placeholder names the user read from the list.
  await expect(async () => {
    await box.fill(typed);
    const option = page.getByRole("listbox", { name: "Matching users" }).getByRole("option").first();
    await expect(option).toBeVisible();
    name = (await option.locator("span").first().textContent())?.trim() ?? "";
    await box.press("ArrowDown");
    await box.press("ArrowUp");
    await box.press("Enter");
    await expect(box).toHaveValue("", { timeout: 2_000 });
    await expect(box).toHaveAttribute("placeholder", `${name} — type to change`, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  return name;
}

test("sign in → create an event → list → detail → register a user → cancel", async ({ page }) => {
  const title = `E2E launch ${Date.now()}`;

  await page.goto("/events");
  await page.getByRole("link", { name: "New event" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "New event" })).toBeVisible();

  // The API's own schema validates in the browser: empty required fields show inline messages.
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.locator("#title-error")).toHaveText("Must not be empty.");
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#owner-error")).toBeVisible();

  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Starts").fill("2027-03-01T18:00");
  await page.getByLabel("Ends").fill("2027-03-01T17:00");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByLabel("Capacity").fill("50");
  await page.getByLabel("Venue").fill("Hall 1");
  await pickFirstUser(page, "Owner", "a");
  await page.getByRole("button", { name: "Create event" }).click();
  await expect(page.locator("#endAt-error")).toHaveText("endAt must be after startAt.");

  await page.getByLabel("Ends").fill("2027-03-01T21:00");
  await page.getByRole("button", { name: "Create event" }).click();
  await page.waitForURL(/\/events\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("link", { name: /Public page/ })).toHaveAttribute("href", /^\/e\/e2e-launch-/);

  // Edit: the form starts from the stored values in the event's zone and saves through UpdateEventInput.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Starts")).toHaveValue("2027-03-01T18:00");
  await expect(page.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  await page.getByLabel("Venue").fill("Hall 2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(/\/events\/[^/]+$/);
  await expect(page.getByText("Hall 2")).toBeVisible();

  await page.goto("/events");
  const row = page.getByRole("link", { name: title });
  await expect(row).toBeVisible();
  await row.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No registrations yet" })).toBeVisible();

  const attendee = await pickFirstUser(page, "Register a user", "e");
  await page.getByRole("button", { name: "Register", exact: true }).click();
  const table = page.getByRole("table", { name: "Registrations" });
  await expect(table.getByRole("cell", { name: attendee, exact: true })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Registrations" })).toHaveAttribute("aria-valuenow", "1");

  await page.getByRole("button", { name: `Cancel registration of ${attendee}` }).click();
  await expect(page.getByRole("heading", { name: "No registrations yet" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Registrations" })).toHaveAttribute("aria-valuenow", "0");
});

test("settings: an API key is shown once, listed by prefix, and revoked", async ({ page }) => {
  await page.goto("/settings");
  const name = `e2e key ${Date.now()}`;
  await page.getByLabel("Key name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-api-key").textContent()) ?? "";
  expect(secret).toMatch(/^rk_live_/);
  await page.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) }).getByText("Revoked")).toBeVisible();
});

const axePages = ["/events", "/events/new", "/settings"];
for (const colorScheme of ["light", "dark"] as const) {
  test(`events and settings pages pass axe at 375 px, ${colorScheme}`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 375, height: 812 });
    for (const path of axePages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const result = await new AxeBuilder({ page })
        .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
        .analyze();
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(
        serious.map((v) => `${path} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      ).toEqual([]);
      const scrollsSideways = await page.evaluate(
        () => document.documentElement.scrollWidth > window.innerWidth,
      );
      expect(scrollsSideways, `${path} scrolls sideways at 375 px`).toBe(false);
    }
  });
}
