/**
 * Playwright's web server: the whole stack in memory on free ports with a small demo data set, serving a
 * production build so browser tests see what users get.
 */
import { mkdirSync, writeFileSync } from "node:fs";

import { startStack, stopOnExit } from "./stack";

const portArg = process.argv.indexOf("--port");
const appPort = Number(portArg >= 0 ? process.argv[portArg + 1] : process.env.E2E_PORT);
if (!Number.isInteger(appPort) || appPort <= 0) {
  console.error("e2e-server: pass --port <n>");
  process.exit(2);
}

const stack = await startStack({
  appMode: process.env.E2E_DEV === "1" ? "dev" : "start",
  appPort,
  demo: { users: 300, events: 12 },
  skipBuild: process.env.E2E_SKIP_BUILD === "1",
});
stopOnExit(stack);
// Where specs find the stand-ins' endpoints (e2e/stack-info.ts); per port, as parallel runs share test-results/.
mkdirSync("test-results", { recursive: true });
writeFileSync(
  `test-results/e2e-stack-${appPort}.json`,
  JSON.stringify({
    appUrl: stack.appUrl,
    sesEndpoint: stack.sesEndpoint,
    dynamoEndpoint: stack.dynamoEndpoint,
  }),
);
console.log(`e2e stack ready at ${stack.appUrl}`);
