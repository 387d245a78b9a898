import { type RollupRow, rowId } from "@/lib/analytics/rollup";
import { readRollupFeed, toRollupRow } from "@/lib/db/analytics-repo";
import { getEnv } from "@/lib/env";

/*
 * In-process copy of the rollup rows, so reads fold a few tens of thousands of rows in memory instead of
 * querying DynamoDB per request. It is kept fresh from the GSI1 change feed: the first read loads every row,
 * later reads fetch only rows whose feed stamp is newer than the watermark. The watermark is pulled back by
 * FEED_OVERLAP_MS because a writer stamps before its transaction commits (and GSIs lag on AWS); rows are
 * replaced wholesale, so re-reading one is harmless. Writes made in this process mark the copy dirty, which
 * gives read-your-writes here; other processes' writes show within REFRESH_MS.
 * No "server-only": scripts/bench-analytics.ts runs this under tsx.
 */

export const REFRESH_MS = 1_000;
export const FEED_OVERLAP_MS = 10_000;

interface Store {
  source: string;
  byId: Map<string, RollupRow>;
  rows: RollupRow[];
  watermark: string;
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
    s = { source, byId: new Map(), rows: [], watermark: "", refreshedAt: 0, dirty: true, inflight: null };
    globalForStore.rallyRollupStore = s;
  }
  return s;
}

function pulledBack(stamp: string): string {
  if (stamp === "") return "";
  const ms = Date.parse(stamp.split("#")[0] ?? "");
  return Number.isNaN(ms) ? "" : new Date(ms - FEED_OVERLAP_MS).toISOString();
}

async function refresh(s: Store): Promise<void> {
  const startedAt = Date.now();
  s.dirty = false;
  const { items, maxStamp } = await readRollupFeed(pulledBack(s.watermark));
  for (const item of items) {
    const row = toRollupRow(item);
    const id = rowId(row.day, row);
    const existing = s.byId.get(id);
    if (existing) {
      existing.totals = row.totals;
      existing.hours = row.hours;
    } else {
      s.byId.set(id, row);
      s.rows.push(row);
    }
  }
  if (maxStamp > s.watermark) s.watermark = maxStamp;
  s.refreshedAt = startedAt;
}

/**
 * Every rollup row, fresh to within REFRESH_MS (immediately fresh after writes from this process).
 * Concurrent callers share one refresh.
 * @throws UnavailableError when DynamoDB stays busy.
 */
export async function getRollupRows(): Promise<readonly RollupRow[]> {
  const s = store();
  while (s.dirty || Date.now() - s.refreshedAt >= REFRESH_MS) {
    if (!s.inflight) {
      s.inflight = refresh(s).finally(() => {
        s.inflight = null;
      });
    }
    try {
      await s.inflight;
    } catch (error) {
      s.dirty = true;
      throw error;
    }
    // A write that landed during the refresh set dirty again; loop once more for it.
    if (!s.dirty) break;
  }
  return s.rows;
}

/** Called after this process wrote a rollup row, so the next read refreshes first. */
export function markRollupsDirty(): void {
  store().dirty = true;
}

/** Drops the in-process copy (tests, or after a bulk load). */
export function resetRollupStore(): void {
  delete globalForStore.rallyRollupStore;
}
