/**
 * `npm test`: every check CI runs, in order, stopping at the first failure — typecheck, lint, vitest (unit +
 * integration against the local stand-ins, which each test file starts on free ports), then Playwright.
 * Ends with one "N passed, N failed" line summing vitest and Playwright.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(step: Step): boolean {
  console.log(`\n▶ ${step.name}`);
  const started = Date.now();
  const result = spawnSync(step.command, step.args, {
    stdio: "inherit",
    env: { ...process.env, ...step.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`${ok ? "✔" : "✘"} ${step.name} (${seconds}s)`);
  return ok;
}

function readCounts(file: string, pick: (json: unknown) => { passed: number; failed: number }) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  try {
    return pick(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { passed: 0, failed: 0 };
  }
}

async function main() {
  mkdirSync("test-results", { recursive: true });
  rmSync("test-results/vitest.json", { force: true });
  rmSync("test-results/playwright.json", { force: true });
  const e2ePort = String(await freePort());
  const steps: Step[] = [
    { name: "typecheck", command: "npx", args: ["tsc", "--noEmit"] },
    { name: "lint", command: "npm", args: ["run", "lint", "--silent"] },
    {
      name: "unit + integration (vitest)",
      command: "npx",
      args: [
        "vitest",
        "run",
        "--reporter=default",
        "--reporter=json",
        "--outputFile.json=test-results/vitest.json",
      ],
    },
    {
      name: "browser (playwright)",
      command: "npx",
      args: ["playwright", "test"],
      env: { E2E_PORT: e2ePort },
    },
  ];

  let failedStep: string | undefined;
  for (const step of steps) {
    if (!run(step)) {
      failedStep = step.name;
      break;
    }
  }

  const vitest = readCounts("test-results/vitest.json", (json) => {
    const j = json as { numPassedTests?: number; numFailedTests?: number };
    return { passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0 };
  });
  const playwright = readCounts("test-results/playwright.json", (json) => {
    const j = json as { stats?: { expected?: number; unexpected?: number; flaky?: number } };
    return { passed: (j.stats?.expected ?? 0) + (j.stats?.flaky ?? 0), failed: j.stats?.unexpected ?? 0 };
  });
  const passed = vitest.passed + playwright.passed;
  const failed =
    vitest.failed + playwright.failed + (failedStep && vitest.failed + playwright.failed === 0 ? 1 : 0);

  if (failedStep) console.log(`\nStopped at: ${failedStep}`);
  console.log(`\nsummary: ${passed} passed, ${failed} failed`);
  process.exit(failedStep ? 1 : 0);
}

void main();
