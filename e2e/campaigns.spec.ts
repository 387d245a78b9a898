import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

/*
 * Campaign journey against the e2e stack (in-memory stand-ins, 300 demo users, local campaign worker):
 * compose for a one-person audience → send → the detail page polls until every recipient settled.
 * Viewers see campaigns but no send/pause controls, and the server refuses them anyway.
 */

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** The users grid's filter token for a tree (base64url JSON, as components/data-table/url-state.ts writes it). */
function filterToken(tree: unknown): string {
  return Buffer.from(JSON.stringify(tree), "utf8").toString("base64url");
}

/** Opens the composer for everyone and reads the first sample recipient's email from the preview picker. */
async function firstAudienceEmail(page: Page): Promise<string> {
  await page.goto("/campaigns/new");
  const picker = page.getByLabel("Preview for");
  await expect(picker).toBeEnabled();
  const label = (await picker.locator("option").first().textContent()) ?? "";
  const email = /<([^>]+)>/.exec(label)?.[1] ?? label.trim();
  expect(email).toContain("@");
  return email;
}

async function axeSerious(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

test("compose → send to a one-person audience → detail shows progress reaching sent", async ({ page }) => {
  await signIn(page, "admin@rally.local", "rally-demo-admin");
  const email = await firstAudienceEmail(page);

  await page.goto(`/campaigns/new?filter=${filterToken({ q: email })}`);
  await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
  await expect(page.getByLabel("Users matching the filter from the Users page")).toBeChecked();
  await expect(page.getByTestId("recipient-count")).toHaveText(/^1 recipients$/);

  // Picking an event fills the UTM fields from its slug.
  const eventSelect = page.getByLabel("Event", { exact: true });
  const firstEvent = eventSelect.locator("option").nth(1);
  await eventSelect.selectOption((await firstEvent.getAttribute("value")) ?? "");
  await expect(page.getByLabel("utm_source")).toHaveValue("email");
  await expect(page.getByLabel("utm_campaign")).not.toHaveValue("");

  const name = `E2E campaign ${Date.now()}`;
  await page.getByLabel("Campaign name").fill(name);
  await page.getByLabel("Subject").fill("Hello {{firstName}}");

  // An unknown variable is flagged inline while typing.
  await page.getByLabel("Body").fill("Hi {{nickname}}");
  await expect(page.locator("#body-error")).toContainText("Unknown variable {{nickname}}");
  await page.getByLabel("Body").fill("Hi there,\n\nSee you at ");
  await page.getByRole("button", { name: "Insert variable" }).click();
  await page.getByRole("menuitem", { name: "{{event.title}}" }).click();
  await expect(page.getByLabel("Body")).toHaveValue("Hi there,\n\nSee you at {{event.title}}");
  await expect(page.locator("#body-error")).toHaveCount(0);

  // Preview renders for the chosen recipient (their first name in the subject).
  await expect(page.getByTestId("preview-subject")).toHaveText(/^Hello \S+/);

  expect(await axeSerious(page)).toEqual([]);

  // Test send goes to the given address only.
  await page.getByLabel("Send a test to").fill("qa@example.com");
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.locator("#test-result")).toContainText("qa@example.com: sent");

  await page.getByRole("button", { name: "Send campaign" }).click();
  await page.waitForURL(/\/campaigns\/cmp_/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 45_000 });
  await expect(page.getByTestId("progress-text")).toContainText("1 of 1 settled (100%)");
  await expect(page.getByTestId("count-sent")).toHaveText("1");
  await expect(page.getByRole("table", { name: "Recipients" }).getByText(email)).toBeVisible();

  await page.goto("/campaigns");
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Completed");
  expect(await axeSerious(page)).toEqual([]);
});

test("save a segment on Users → compose for ?segmentId= → send → detail reaches Completed", async ({
  page,
}) => {
  await signIn(page, "admin@rally.local", "rally-demo-admin");
  const email = await firstAudienceEmail(page);

  // The segment is saved from the Users page, exactly as an organizer does it; its toast links to the composer.
  await page.goto(`/users?q=${encodeURIComponent(email)}`);
  await expect(page.getByTestId("users-total")).toHaveText(/^1 user match/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Save as segment" }).click();
  const dialog = page.getByRole("dialog", { name: "Save as segment" });
  const segmentName = `E2E segment ${Date.now()}`;
  await dialog.getByLabel("Segment name").fill(segmentName);
  await dialog.getByRole("button", { name: "Save segment" }).click();
  const emailThem = page.getByRole("link", { name: "Email them" });
  await expect(emailThem).toBeVisible({ timeout: 30_000 });
  const href = (await emailThem.getAttribute("href")) ?? "";
  const segmentId = /[?&]segmentId=([^&]+)/.exec(href)?.[1] ?? "";
  expect(segmentId).not.toBe("");

  await page.goto(`/campaigns/new?segmentId=${segmentId}`);
  await expect(page.getByRole("heading", { level: 1, name: "New campaign" })).toBeVisible();
  await expect(page.getByLabel("Saved segment")).toBeChecked();
  const picker = page.getByLabel("Segment", { exact: true });
  await expect(picker).toHaveValue(segmentId);
  await expect(picker.locator("option:checked")).toHaveText(`${segmentName} (1 user)`);
  await expect(page.getByTestId("recipient-count")).toHaveText(/^1 recipients$/);

  const name = `E2E segment campaign ${Date.now()}`;
  await page.getByLabel("Campaign name").fill(name);
  await page.getByLabel("Subject").fill("Hello {{firstName}}");
  await page.getByLabel("Body").fill("Hi there, a note for the segment.");
  // The preview renders for the segment's one member (the sample comes from the segment's filter).
  await expect(page.getByLabel("Preview for").locator("option")).toHaveCount(1);
  await expect(page.getByLabel("Preview for").locator("option").first()).toContainText(email);
  await expect(page.getByTestId("preview-subject")).toHaveText(/^Hello \S+/);
  expect(await axeSerious(page)).toEqual([]);

  // Keyboard: the audience radios and the picker are reachable and operable without a mouse.
  await page.getByLabel("Saved segment").focus();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("Everyone")).toBeChecked();
  await expect(picker).toHaveCount(0);
  await page.keyboard.press("ArrowUp");
  await expect(page.getByLabel("Saved segment")).toBeChecked();
  await expect(picker).toHaveValue(segmentId);
  await expect(page.getByTestId("recipient-count")).toHaveText(/^1 recipients$/);

  await page.getByRole("button", { name: "Send campaign" }).click();
  await page.waitForURL(/\/campaigns\/cmp_/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("campaign-status")).toHaveText("Completed", { timeout: 45_000 });
  await expect(page.getByTestId("progress-text")).toContainText("1 of 1 settled (100%)");
  await expect(page.getByRole("table", { name: "Recipients" }).getByText(email)).toBeVisible();
});

test("viewer sees campaigns without send, pause or cancel controls", async ({ page }) => {
  await signIn(page, "viewer@rally.local", "rally-demo-viewer");
  await page.goto("/campaigns");
  await expect(page.getByRole("heading", { level: 1, name: "Campaigns" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New campaign" })).toHaveCount(0);

  await page.goto("/campaigns/new");
  await expect(page.getByRole("heading", { name: "Read-only access" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send campaign" })).toHaveCount(0);

  const first = page.getByRole("table", { name: "Campaigns" }).getByRole("link").first();
  await page.goto("/campaigns");
  if ((await first.count()) > 0) {
    await first.click();
    // The list shows a status badge per row too: wait for the detail before reading its one badge.
    await page.waitForURL(/\/campaigns\/cmp_/);
    await expect(page.getByTestId("campaign-status")).toBeVisible();
    for (const label of ["Pause", "Resume", "Cancel campaign", "Send campaign"])
      await expect(page.getByRole("button", { name: label })).toHaveCount(0);
  }
});

test("a viewer session cannot send, even from a composer rendered for an admin", async ({
  page,
  context,
}) => {
  await signIn(page, "admin@rally.local", "rally-demo-admin");
  await page.goto("/campaigns/new");
  await page.getByLabel("Campaign name").fill("must never exist");
  await page.getByLabel("Subject").fill("Hi");
  await page.getByLabel("Body").fill("Hello");

  // Swap the session under the open page: the actions now run with the viewer's cookie.
  await context.clearCookies();
  const viewer = await context.browser()!.newContext();
  const viewerPage = await viewer.newPage();
  await signIn(viewerPage, "viewer@rally.local", "rally-demo-viewer");
  await context.addCookies(await viewer.cookies());
  await viewer.close();

  await page.getByRole("button", { name: "Send campaign" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /write/ })).toBeVisible();
  await expect(page).toHaveURL(/\/campaigns\/new/);
});
