import { readFile } from "node:fs/promises";

import { expect } from "@playwright/test";

/** Endpoints scripts/e2e-server.ts writes once the stack answers. */
export interface StackInfo {
  appUrl: string;
  sesEndpoint: string;
  dynamoEndpoint: string;
}

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
}

/**
 * Reads test-results/e2e-stack-<port>.json (playwright.config.ts puts the port in E2E_PORT); polls briefly
 * because Playwright may see the app answer before the file lands.
 */
export async function readStackInfo(): Promise<StackInfo> {
  const file = `test-results/e2e-stack-${process.env.E2E_PORT}.json`;
  let info: StackInfo | undefined;
  await expect(async () => {
    info = JSON.parse(await readFile(file, "utf8")) as StackInfo;
  }).toPass({ timeout: 10_000 });
  return info!;
}

/** Every email the SES emulator has accepted (its `GET /store`). */
export async function sesEmails(sesEndpoint: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesEndpoint.replace(/\/+$/, "")}/store`);
  expect(response.ok, `GET ${sesEndpoint}/store answered ${response.status}`).toBe(true);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}
