import { expect, test as setup } from "@playwright/test";

import { ADMIN_STATE, VIEWER_STATE } from "./auth-state";

// The demo members scripts/stack.ts creates through ensureDemoMember() (lib/members/demo-members.ts).
const members = [
  { email: "admin@rally.local", password: "rally-demo-admin", path: ADMIN_STATE },
  { email: "viewer@rally.local", password: "rally-demo-viewer", path: VIEWER_STATE },
];

for (const member of members) {
  setup(`sign in as ${member.email}`, async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password", { exact: true }).fill(member.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/events");
    await expect(page.getByRole("heading", { level: 1, name: "Events" })).toBeVisible();
    await page.context().storageState({ path: member.path });
  });
}

setup("a wrong password is refused without saying which part was wrong", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("admin@rally.local");
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});
