import { campaignDeliveryAnalytics } from "@/lib/campaigns/analytics-sink";
import { type FanoutDeps } from "@/lib/campaigns/fanout";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { SesMailer } from "@/lib/email/ses-mailer";

/*
 * Where the fan-out gets its store and mailer at run time: the app's defaults (DynamoDB store feeding the
 * analytics rollups, SES mailer at the configured rate) unless a test or script registers its own.
 */

type Factory = () => Promise<FanoutDeps>;

let factory: Factory | undefined;
let cached: Promise<FanoutDeps> | undefined;

/** Registers how to build the fan-out's dependencies (replacing any earlier registration). */
export function setFanoutDeps(next: Factory | FanoutDeps): void {
  factory = typeof next === "function" ? next : async () => next;
  cached = undefined;
}

/** The app's dependencies: DynamoDB store + analytics ingest, SES (or the emulator at SES_ENDPOINT). */
export async function createAppFanoutDeps(): Promise<FanoutDeps> {
  return {
    store: new DynamoRecipientStore({ analytics: campaignDeliveryAnalytics }),
    mailer: await SesMailer.create(),
  };
}

/** The registered dependencies (the app's by default), built once per process. */
export function getFanoutDeps(): Promise<FanoutDeps> {
  cached ??= (factory ?? createAppFanoutDeps)().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
