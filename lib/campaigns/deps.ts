import { type FanoutDeps } from "@/lib/campaigns/fanout";
import { SesMailer } from "@/lib/email/ses-mailer";

/*
 * Where the fan-out gets its store and mailer at run time. The app registers the DynamoDB store at startup;
 * tests and the standalone runner register their own. Kept as a registry so inngest/ stays free of db imports.
 */

type Factory = () => Promise<FanoutDeps>;

let factory: Factory | undefined;
let cached: Promise<FanoutDeps> | undefined;

/** Registers how to build the fan-out's dependencies (replacing any earlier registration). */
export function setFanoutDeps(next: Factory | FanoutDeps): void {
  factory = typeof next === "function" ? next : async () => next;
  cached = undefined;
}

/**
 * The registered dependencies, built once.
 * @throws Error when nothing was registered: the fan-out must not guess where recipients live.
 */
export function getFanoutDeps(): Promise<FanoutDeps> {
  if (!factory) {
    return Promise.reject(new Error("No campaign store registered: call setFanoutDeps() at startup."));
  }
  cached ??= factory().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** The production mailer: SES (or the emulator at SES_ENDPOINT) at the configured / account send rate. */
export function createDefaultMailer(): Promise<SesMailer> {
  return SesMailer.create();
}
