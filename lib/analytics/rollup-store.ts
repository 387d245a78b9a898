import { RollupTable } from "@/lib/analytics/rollup";
import { readRollupFeed, toRollupRow } from "@/lib/db/analytics-repo";
import { getEnv } from "@/lib/env";

/*
 * In-process copy of the rollup rows, so reads fold a few tens of thousands of rows in memory instead of
 * querying DynamoDB per request. It is kept fresh from the GSI1 change feed: the first read loads every row,
 * later refreshes fetch only rows stamped after (start of the previous refresh − FEED_OVERLAP_MS). The
 * overlap covers writers that stamp before their transaction commits and GSI lag on AWS; rows are replaced
 * wholesale, so reading one twice is harmless. Writes made in this process mark the copy dirty and the next
 * read waits for a refresh (read-your-writes); otherwise a read older than REFRESH_MS is answered from the
 * copy while a refresh runs in the background, so other processes' writes show within about REFRESH_MS.
 * No "server-only": scripts/bench-analytics.ts runs this under tsx.
 */

export const REFRESH_MS = 1_000;
export const FEED_OVERLAP_MS = 5_000;

interface Store {
  source: string;
  table: RollupTable;
  loaded: boolean;
  /** Reader-clock start of the last completed refresh; 0 before the first. */
  refreshedAt: number;
  dirty: boolean;
  inflight: Promise<void> | null;
}

const globalForStore = globalThis as unknown as { rallyRollupStore?: Store };

function store(): Store {
  const env = getEnv();
  const source = `${env.DYNAMODB_ENDPOINT ?? "aws"}|${env.DYNAMODB_TABLE}`;
  let s = globalForStore.rallyRollupStore;
  if (!s || s.source !== source) {
    s = { source, table: new RollupTable(), loaded: false, refreshedAt: 0, dirty: false, inflight: null };
    globalForStore.rallyRollupStore = s;
  }
  return s;
}

async function refresh(s: Store): Promise<void> {
  const startedAt = Date.now();
  s.dirty = false;
  const since = s.loaded ? new Date(s.refreshedAt - FEED_OVERLAP_MS).toISOString() : "";
  try {
    const { items } = await readRollupFeed(since);
    for (const item of items) s.table.upsert(toRollupRow(item));
    s.loaded = true;
    s.refreshedAt = startedAt;
  } catch (error) {
    s.dirty = true;
    throw error;
  }
}

function startRefresh(s: Store): Promise<void> {
  s.inflight ??= refresh(s).finally(() => {
    s.inflight = null;
  });
  return s.inflight;
}

/**
 * Every rollup row, as a columnar table. Waits for a refresh on first use and after this process wrote; otherwise answers from
 * the copy and refreshes in the background when it is older than REFRESH_MS. Concurrent callers share one
 * refresh.
 * @throws UnavailableError when DynamoDB stays busy while a refresh must be awaited.
 */
export async function getRollupTable(): Promise<RollupTable> {
  const s = store();
  if (!s.loaded || s.dirty) {
    // A running refresh may have started before the write this read must see: let it finish, then make
    // sure one that started after this call completes. At most two waits, even under constant ingest.
    if (s.inflight) await s.inflight.catch(() => undefined);
    if (!s.loaded || s.dirty) await startRefresh(s);
  }
  if (Date.now() - s.refreshedAt >= REFRESH_MS && !s.inflight) {
    startRefresh(s).catch((error: unknown) =>
      console.warn("analytics: background rollup refresh failed", error),
    );
  }
  return s.table;
}

/** Called after this process wrote a rollup row, so the next read refreshes first. */
export function markRollupsDirty(): void {
  store().dirty = true;
}

/** Drops the in-process copy (tests, or after a bulk load). */
export function resetRollupStore(): void {
  delete globalForStore.rallyRollupStore;
}
