import { startLocalCampaignWorker } from "@/inngest/local-worker";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { getAudienceIndex } from "@/lib/audience/get-audience-index";

const globalForBackground = globalThis as unknown as { rallyBackgroundStarted?: boolean };

/**
 * Starts the in-process background work once per process (dev reloads re-run instrumentation).
 * Failures are logged, never fatal: a read model that cannot start yet must not take the API down.
 */
export function startBackgroundWork(): void {
  if (globalForBackground.rallyBackgroundStarted) return;
  globalForBackground.rallyBackgroundStarted = true;

  startLocalCampaignWorker();
  getRollupTable().catch((error: unknown) => console.warn("[analytics] rollup warm-up failed", error));
  getAudienceIndex().catch((error: unknown) => console.warn("[audience] index start failed", error));
}
