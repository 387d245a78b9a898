/**
 * Playwright's web server: the whole stack in memory on free ports with a small demo data set, serving a
 * production build so browser tests see what users get.
 */
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
console.log(`e2e stack ready at ${stack.appUrl}`);
