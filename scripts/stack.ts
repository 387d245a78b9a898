/**
 * Starts the whole local stack — DynamoDB stand-in, SES emulator, table, demo data, the Next.js app — and stops
 * every part of it together. `npm run dev` and the Playwright web server both use it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";

import { type LocalAws, startLocalAws } from "@/dev/local-aws";
import { ensureDemoApiKey, seedDemo } from "@/lib/demo/seed";
import { backfillSuppressionIndex } from "@/lib/db/suppressions-repo";
import { ensureTable } from "@/lib/db/table";
import { ensureDemoMember } from "@/lib/members/demo-members";
import { resetEnvCache } from "@/lib/env";

export interface StackOptions {
  /** "dev" runs `next dev`; "start" builds once (unless `skipBuild`) and runs `next start`. */
  appMode: "dev" | "start";
  appPort: number;
  dynamoPort?: number;
  sesPort?: number;
  /** Where the stand-in keeps data between runs; undefined keeps everything in memory. */
  dataDir?: string;
  demo: { users: number; events: number };
  skipBuild?: boolean;
}

export interface RunningStack {
  appUrl: string;
  dynamoEndpoint: string;
  sesEndpoint: string;
  apiKey: string;
  login: { email: string; password: string };
  stop(): Promise<void>;
}

export class StackStartError extends Error {}

export async function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () =>
      reject(
        new StackStartError(
          `Port ${port} (${what}) is already in use: stop the other process or choose another port with ${envName}.`,
        ),
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new StackStartError(`The app exited with code ${child.exitCode} while starting.`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StackStartError(`The app did not answer at ${url} within ${Math.round(timeoutMs / 1000)} s.`);
}

function runNext(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["node_modules/next/dist/bin/next", ...args], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function buildApp(env: NodeJS.ProcessEnv): Promise<void> {
  const child = runNext(["build"], env);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new StackStartError(`next build failed with code ${code}.`);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  await assertPortFree(options.appPort, "the app", "PORT");
  let aws: LocalAws | undefined;
  let app: ChildProcess | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (app && app.exitCode === null) {
      app.kill("SIGTERM");
      const exited = new Promise((r) => app?.once("exit", r));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (app.exitCode === null) app.kill("SIGKILL");
    }
    await aws?.stop();
  };

  try {
    aws = await startLocalAws({
      dynamoPort: options.dynamoPort ?? 0,
      sesPort: options.sesPort ?? 0,
      dataDir: options.dataDir,
    });
    const appUrl = `http://127.0.0.1:${options.appPort}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DYNAMODB_ENDPOINT: aws.dynamoEndpoint,
      SES_ENDPOINT: aws.sesEndpoint,
      DYNAMODB_TABLE: process.env.DYNAMODB_TABLE ?? "rally",
      AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
      APP_URL: process.env.APP_URL ?? appUrl,
      NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? appUrl,
      PORT: String(options.appPort),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    Object.assign(process.env, env);
    resetEnvCache();

    await ensureTable();
    // Local data from before suppressions were listed on GSI1 would otherwise be invisible to senders.
    await backfillSuppressionIndex();
    await seedDemo(options.demo);
    const apiKey = await ensureDemoApiKey();
    const login = await ensureDemoMember();

    const hostArgs = ["-H", "127.0.0.1", "-p", String(options.appPort)];
    if (options.appMode === "start") {
      if (!options.skipBuild) await buildApp({ ...env, NODE_ENV: "production" });
      app = runNext(["start", ...hostArgs], { ...env, NODE_ENV: "production" });
    } else {
      app = runNext(["dev", ...hostArgs], { ...env, NODE_ENV: "development" });
    }
    await waitForHttp(`${appUrl}/api/health`, app, 180_000);

    return { appUrl, dynamoEndpoint: aws.dynamoEndpoint, sesEndpoint: aws.sesEndpoint, apiKey, login, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Stops the stack on Ctrl-C, on termination and when anything crashes, so no server outlives this process. */
export function stopOnExit(stack: { stop(): Promise<void> }): void {
  let stopping = false;
  const shutdown = (code: number) => {
    if (stopping) return;
    stopping = true;
    void stack.stop().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => shutdown(0));
  process.once("SIGTERM", () => shutdown(0));
  process.once("SIGHUP", () => shutdown(0));
  process.once("uncaughtException", (error) => {
    console.error(error);
    shutdown(1);
  });
  process.once("unhandledRejection", (error) => {
    console.error(error);
    shutdown(1);
  });
}
