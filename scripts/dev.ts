/**
 * `npm run dev`: local DynamoDB stand-in (data kept in .data/), SES emulator, table, demo data and the app,
 * all stopped together on Ctrl-C.
 */
import { StackStartError, startStack, stopOnExit } from "./stack";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const appPort = Number(process.env.PORT ?? 3000);
const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
const sesPort = Number(process.env.SES_PORT ?? 8005);

try {
  console.log("Starting Rally: local DynamoDB, SES emulator, demo data, app…");
  const stack = await startStack({
    appMode: "dev",
    appPort,
    dynamoPort,
    sesPort,
    dataDir: process.env.RALLY_DATA_DIR ?? ".data",
    demo: { users: 10_000, events: 100 },
  });
  stopOnExit(stack);
  const appUrl = `http://localhost:${appPort}`;
  console.log(`
  Rally is running.

    App            ${appUrl}
    API docs       ${appUrl}/api/docs
    Sign in        ${appUrl}/sign-in  as ${stack.login.email} / ${stack.login.password}
    API key        ${stack.apiKey}
                   curl -H "Authorization: Bearer ${stack.apiKey}" ${appUrl}/api/users
    DynamoDB       ${stack.dynamoEndpoint}  (data kept in ${process.env.RALLY_DATA_DIR ?? ".data"}/)
    SES emulator   ${stack.sesEndpoint}/store

  Press Ctrl-C to stop everything.
`);
} catch (error) {
  if (error instanceof StackStartError || (error instanceof Error && error.name === "PortInUseError")) {
    console.error(`\n${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
