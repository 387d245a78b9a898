import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

import { ADMIN_STATE } from "./auth-state";

// Signed in, so the dashboard pages themselves are checked rather than the sign-in page they redirect to.
test.use({ storageState: ADMIN_STATE });

const pages = [
  "/",
  "/sign-in",
  "/users",
  "/events",
  "/campaigns",
  "/analytics",
  "/settings",
  "/no-such-page",
];

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`axe, ${colorScheme} theme`, () => {
    test.use({ colorScheme });
    for (const path of pages) {
      test(`${path} has no serious violations`, async ({ page }) => {
        await page.goto(path);
        await expect(page.locator("h1").first()).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  });
}

test.describe("375 px", () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test("the drawer navigates and the page never scrolls sideways", async ({ page }) => {
    await page.goto("/events");
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog");
    await expect(drawer).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await drawer.getByRole("link", { name: "Campaigns" }).click();
    await expect(page).toHaveURL(/\/campaigns$/);
    await expect(drawer).toBeHidden();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  test.describe("signed out", () => {
    test.use({ storageState: { cookies: [], origins: [] } });

    test("sign-in validates by keyboard", async ({ page }) => {
      await page.goto("/sign-in");
      await page.getByLabel("Email").focus();
      await page.keyboard.press("Enter");
      await expect(page.getByText("Enter a valid email address.")).toBeVisible();
      await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    });
  });
});

test("skip link is the first tab stop and the theme can be switched by keyboard", async ({ page }) => {
  await page.goto("/users");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.getByRole("button", { name: "Change theme" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("menuitemradio", { name: "Dark" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("html")).toHaveClass(/dark/);
});
