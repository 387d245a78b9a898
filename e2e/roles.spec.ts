import { readFileSync } from "node:fs";

import { expect, test } from "@playwright/test";

import { ADMIN_STATE, VIEWER_STATE } from "./auth-state";

test.describe("viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees events read-only and no settings", async ({ page }) => {
    await page.goto("/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
    await expect(page.getByRole("link", { name: "New event" })).toHaveCount(0);

    await page.getByRole("table", { name: "Events" }).getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 2, name: "Registrations", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    await expect(page.getByRole("combobox", { name: "Register a user" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Cancel registration/ })).toHaveCount(0);

    await page.goto("/events/new");
    await expect(page.getByRole("button", { name: "Create event" })).toHaveCount(0);

    await page.goto("/settings");
    await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
    await expect(page.getByLabel("Key name")).toHaveCount(0);
  });
});

test.describe("server-side checks", () => {
  test.use({ storageState: ADMIN_STATE });

  test("a viewer session cannot run a mutation even from a form rendered for an admin", async ({
    page,
    context,
  }) => {
    await page.goto("/settings");
    await page.getByLabel("Key name").fill("should never exist");

    // Swap the session under the open page: the action now runs with the viewer's cookie.
    const viewer = JSON.parse(readFileSync(VIEWER_STATE, "utf8")) as {
      cookies: Parameters<typeof context.addCookies>[0];
    };
    await context.clearCookies();
    await context.addCookies(viewer.cookies);
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "admin role" })).toBeVisible();
    await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  });

  test("signed out, dashboard pages redirect to sign-in and actions refuse", async ({ page, context }) => {
    await page.goto("/events/new");
    await page.getByLabel("Title").fill("signed out");
    await context.clearCookies();
    await page.getByLabel("Starts").fill("2027-03-01T18:00");
    await page.getByLabel("Ends").fill("2027-03-01T19:00");
    await page.getByRole("combobox", { name: "Owner" }).fill("a");
    // The user search itself is a session-checked action: signed out it finds nothing.
    await expect(page.getByRole("option")).toHaveCount(0);

    await page.goto("/events");
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});
