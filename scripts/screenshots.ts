/**
 * `npm run screenshots`: refreshes docs/screenshots/*.png (the README's pictures) by running
 * e2e/screenshots.spec.ts against the e2e stack. E2E_SKIP_BUILD=1 reuses a fresh .next.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const outDir = "docs/screenshots";

// Own output folder and reporter: the default ones are cleared/overwritten by every Playwright run.
const args = [
  "playwright",
  "test",
  "e2e/screenshots.spec.ts",
  "--reporter=list",
  "--output=test-results/screenshots",
];
const result = spawnSync("npx", args, {
  stdio: "inherit",
  env: { ...process.env, RALLY_SCREENSHOTS_DIR: outDir },
});
if (result.status !== 0) {
  console.error(`screenshots: Playwright exited with ${result.status}; ${outDir} may be partly updated.`);
  process.exit(result.status ?? 1);
}
console.log(
  `screenshots: ${readdirSync(outDir).filter((f) => f.endsWith(".png")).length} files in ${outDir}`,
);
