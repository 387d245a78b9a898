/**
 * Runs once per server process before it takes requests: starts the background work that lives inside the
 * app process (the audience read model following the stream, the local campaign worker, the analytics
 * rollup cache), so the first request does not pay for it.
 */
export async function register(): Promise<void> {
  // The import sits inside this exact check so bundlers drop it from the edge build.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startBackgroundWork } = await import("@/lib/server/background");
    startBackgroundWork();
  }
}
