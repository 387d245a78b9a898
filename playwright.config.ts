import { existsSync } from "node:fs";

import { defineConfig, devices } from "@playwright/test";

const debianChromium = "/usr/bin/chromium";
const port = Number(process.env.E2E_PORT ?? 0) || 3100 + Math.floor(Math.random() * 800);
process.env.E2E_PORT = String(port); // workers re-read this config: keep one port for all of them
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;

// Debian's chromium where present (these machines cannot download Playwright's browser); elsewhere Playwright's own.
const launchOptions = existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    }
  : {};

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions,
  },
  projects: [
    // Signs in once per role and saves the cookies; specs reuse them (e2e/auth-state.ts).
    { name: "setup", testMatch: /.*\.setup\.ts/, use: { launchOptions } },
    {
      name: "chromium",
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], launchOptions },
    },
  ],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `npx tsx --conditions=react-server scripts/e2e-server.ts --port ${port}`,
        url: `${baseURL}/api/health`,
        timeout: 300_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
      },
});
