import { Inngest } from "inngest";

import { getEnv, type Env } from "@/lib/env";

/** The app's Inngest client. Keys and dev mode come from INNGEST_* variables, which the SDK reads itself. */
export const inngest = new Inngest({ id: "rally" });

/**
 * True when events should go to an Inngest server (dev server or cloud); otherwise the in-process runner
 * executes functions (inngest/local-runner.ts).
 */
export function inngestConfigured(env: Env = getEnv()): boolean {
  return Boolean(env.INNGEST_DEV || env.INNGEST_EVENT_KEY || env.INNGEST_SIGNING_KEY);
}
