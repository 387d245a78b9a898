import { randomUUID } from "node:crypto";

import {
  type BatchTransitions,
  type CampaignRecipient,
  type CampaignSnapshot,
  type ProgressCounts,
  type RecipientPage,
  type RecipientStore,
  type Settlement,
  type StatusEvent,
} from "@/lib/campaigns/recipient-store";
import {
  claimRow,
  excludeRow,
  expireRow,
  settleRow,
  type RecipientRow,
} from "@/lib/campaigns/recipient-transitions";
import { type CampaignStatus, type RecipientStatus } from "@/lib/campaigns/schemas";
import { getCampaign, moveCampaignStatus } from "@/lib/db/campaigns-repo";
import { RECIPIENT_CHUNK_SK_PREFIX, normaliseEmail } from "@/lib/db/keys";
import {
  CHUNK_SIZE,
  chunkFromItem,
  chunkKeyOf,
  countChunks,
  decodeRecipientCursor,
  encodeRecipientCursor,
  findChunk,
  queryChunks,
  readChunk,
  writeChunks,
  type RecipientChunk,
} from "@/lib/db/recipient-chunks";
import { SuppressionList } from "@/lib/db/suppressions-repo";
import { type TxItem } from "@/lib/db/transact";
import { UnavailableError } from "@/lib/errors";

// No "server-only": the standalone campaign runner (tsx) uses this store.

/** Delivery counts the analytics rollups take from recipient transitions. */
export type DeliveryCounts = Partial<Record<"queued" | "sent" | "failed", number>>;

/**
 * How transitions reach the analytics rollups: the items returned are written in the same transaction as the
 * chunk whose transitions they count, so a count is never lost to a crash nor doubled by a retry.
 */
export interface DeliveryAnalytics {
  items(campaign: CampaignSnapshot, counts: DeliveryCounts, at: number): TxItem[];
  /** Called after such a transaction committed (in-process read models may refresh). */
  written?(): void;
}

export interface DynamoRecipientStoreOptions {
  analytics?: DeliveryAnalytics;
}

/** Version races on one chunk before giving up with 503 (each retry re-reads the chunk). */
const MAX_CHUNK_RACES = 25;
/** Chunks per Query when listing a status that few recipients have (failed, unknown, …). */
const SPARSE_PAGE_CHUNKS = 40;
/** Chunks changed together in one transaction (the analytics rollup takes one more item). */
const MAX_CHUNKS_PER_WRITE = 50;
/** Chunks kept between listing and settling; beyond this the cache starts over (only costs re-reads). */
const MAX_CACHED_CHUNKS = 2_000;

/** What one chunk change did, and what it counts for analytics. */
interface Change<T> {
  changed: boolean;
  result: T;
  counts?: DeliveryCounts;
}

function toRecipient(campaignId: string, row: RecipientRow): CampaignRecipient {
  const { claimId: _claim, ...rest } = row;
  return { campaignId, ...rest };
}

function byChunk<T>(items: T[], chunkOf: (item: T) => string | undefined): Map<string | undefined, T[]> {
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) {
    const key = chunkOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const nonZero = (counts: DeliveryCounts): boolean => Object.values(counts).some((n) => (n ?? 0) > 0);

/** One frozen recipient, or null (consistent read). */
export async function getCampaignRecipient(
  campaignId: string,
  recipientId: string,
): Promise<CampaignRecipient | null> {
  const chunk = await findChunk(campaignId, recipientId);
  const row = chunk?.rows.find((r) => r.recipientId === recipientId);
  return row ? toRecipient(campaignId, row) : null;
}

/**
 * RecipientStore on the single table, recipients in chunks of 50 (lib/db/recipient-chunks.ts). Every
 * transition is a read-modify-write of one chunk under its version: a claim or settle of one batch is one
 * conditional put, two workers (or a retried step) can never both own a recipient, and a lost race re-reads
 * the chunk and re-applies the state machine to what is there now.
 */
export class DynamoRecipientStore implements RecipientStore {
  private readonly campaigns = new Map<string, CampaignSnapshot | null>();
  /** Chunks as this store last read or wrote them; a stale one only costs a failed put and a re-read. */
  private readonly chunks = new Map<string, RecipientChunk>();
  /** campaignId + recipientId → first recipient id of its chunk, for chunks in the cache. */
  private readonly chunkOfRecipient = new Map<string, string>();
  /** Changes to one chunk from this process run one after another instead of racing each other. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** The whole list, topped up before each check: one small Query per step instead of a read per address. */
  private readonly suppressions = new SuppressionList();

  constructor(private readonly options: DynamoRecipientStoreOptions = {}) {}

  async loadCampaign(campaignId: string): Promise<CampaignSnapshot | null> {
    const campaign = await getCampaign(campaignId);
    this.campaigns.set(campaignId, campaign);
    return campaign;
  }

  setCampaignStatus(campaignId: string, to: CampaignStatus, from?: CampaignStatus[]): Promise<boolean> {
    return moveCampaignStatus(campaignId, to, from);
  }

  async listRecipients(
    campaignId: string,
    options: { limit: number; cursor?: string; status?: RecipientStatus },
  ): Promise<RecipientPage> {
    const cursor = decodeRecipientCursor(options.cursor);
    const after = cursor?.after;
    const items: CampaignRecipient[] = [];
    let lastChunk = "";
    let more = false;
    await queryChunks(
      campaignId,
      {
        // The chunk of the last id returned; on the pending index it is usually gone (claimed) by now.
        ...(cursor ? { fromChunk: cursor.chunk } : {}),
        pendingOnly: options.status === "pending",
        // Unfiltered and pending pages fill from about limit/50 chunks; other statuses are sparse.
        pageSize:
          options.status && options.status !== "pending"
            ? SPARSE_PAGE_CHUNKS
            : Math.ceil(options.limit / CHUNK_SIZE),
      },
      (raw, pageHasMore) => {
        for (const item of raw) {
          const chunk = chunkFromItem(item);
          if (options.status === "pending") this.remember(chunk);
          for (const row of chunk.rows) {
            if (after !== undefined && row.recipientId <= after) continue;
            if (options.status && row.status !== options.status) continue;
            if (items.length === options.limit) {
              more = true;
              return false;
            }
            items.push(toRecipient(campaignId, row));
            lastChunk = chunk.first;
          }
        }
        // A page that filled up on the last row of its last chunk may have more behind it: say so (the next
        // page may come back empty) rather than read one more chunk to find out.
        if (items.length === options.limit && pageHasMore) {
          more = true;
          return false;
        }
        return true;
      },
    );
    const last = items.at(-1);
    return more && last
      ? { items, cursor: encodeRecipientCursor({ after: last.recipientId, chunk: lastChunk }) }
      : { items };
  }

  async claim(campaignId: string, recipientIds: string[], leaseMs: number, now: number): Promise<string[]> {
    return (await this.claimBatch(campaignId, { claim: recipientIds }, leaseMs, now)).claimed;
  }

  async claimBatch(
    campaignId: string,
    batch: BatchTransitions,
    leaseMs: number,
    now: number,
  ): Promise<{ claimed: string[]; excluded: string[] }> {
    // The claim id makes a claim recognisable when its write applied but the answer was lost: the retry then
    // finds the rows `sending` under this id and keeps them instead of stranding them until they expire.
    const spec = { claimId: randomUUID(), leaseExpiresAt: now + leaseMs, now };
    const settleById = new Map((batch.settle ?? []).map((s) => [s.recipientId, s]));
    const excludeById = new Map((batch.exclude ?? []).map((x) => [x.recipientId, x]));
    const claimIds = new Set(batch.claim);
    const perChunk = await this.perChunk(
      campaignId,
      [...settleById.keys(), ...excludeById.keys(), ...batch.claim],
      now,
      (rows, ids) => {
        const wanted = new Set(ids);
        const counts = { queued: 0, sent: 0, failed: 0 };
        const claimed: string[] = [];
        const excluded: string[] = [];
        let changed = false;
        for (const row of rows) {
          if (!wanted.has(row.recipientId)) continue;
          const st = settleById.get(row.recipientId);
          if (st && settleRow(row, st, now)) {
            changed = true;
            if (st.status === "sent") counts.sent++;
            if (st.status === "failed") counts.failed++;
          }
          const ex = excludeById.get(row.recipientId);
          if (ex && excludeRow(row, ex.status, ex.reason, now)) {
            changed = true;
            excluded.push(row.recipientId);
          }
          if (!claimIds.has(row.recipientId)) continue;
          const outcome = claimRow(row, spec);
          if (outcome === "lost") continue;
          claimed.push(row.recipientId);
          if (outcome === "won") {
            changed = true;
            // Counted once per recipient: later claims after a release or a retry are the same message.
            if (row.attempts === 1) counts.queued++;
          }
        }
        return { changed, result: { claimed, excluded }, counts };
      },
    );
    const won = new Set(perChunk.flatMap((r) => r.claimed));
    const settled = [...settleById.keys()];
    for (const id of settled) this.forgetIfDone(campaignId, id);
    return {
      claimed: batch.claim.filter((id) => won.has(id)),
      excluded: perChunk.flatMap((r) => r.excluded),
    };
  }

  async settle(campaignId: string, settlements: Settlement[], now: number): Promise<void> {
    const byId = new Map(settlements.map((s) => [s.recipientId, s]));
    await this.perChunk(
      campaignId,
      settlements.map((s) => s.recipientId),
      now,
      (rows, ids) => {
        const wanted = new Set(ids);
        const counts = { sent: 0, failed: 0 };
        let changed = false;
        for (const row of rows) {
          const st = wanted.has(row.recipientId) ? byId.get(row.recipientId) : undefined;
          if (!st || !settleRow(row, st, now)) continue;
          changed = true;
          if (st.status === "sent") counts.sent++;
          if (st.status === "failed") counts.failed++;
        }
        return { changed, result: undefined, counts };
      },
    );
    for (const s of settlements) this.forgetIfDone(campaignId, s.recipientId);
  }

  markSent(campaignId: string, recipientId: string, providerMessageId: string, now: number) {
    return this.transitionOne(campaignId, recipientId, now, (row) =>
      settleRow(row, { recipientId, status: "sent", providerMessageId }, now) ? { sent: 1 } : null,
    );
  }

  markFailed(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transitionOne(campaignId, recipientId, now, (row) =>
      settleRow(row, { recipientId, status: "failed", reason }, now) ? { failed: 1 } : null,
    );
  }

  markUnknown(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transitionOne(campaignId, recipientId, now, (row) =>
      settleRow(row, { recipientId, status: "unknown", reason }, now) ? {} : null,
    );
  }

  markSuppressed(campaignId: string, recipientId: string, now: number) {
    return this.transitionOne(campaignId, recipientId, now, (row) =>
      excludeRow(row, "suppressed", undefined, now) ? {} : null,
    );
  }

  markSkipped(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transitionOne(campaignId, recipientId, now, (row) =>
      excludeRow(row, "skipped", reason, now) ? {} : null,
    );
  }

  async release(campaignId: string, recipientIds: string[], now: number): Promise<void> {
    await this.settle(
      campaignId,
      recipientIds.map((recipientId) => ({ recipientId, status: "pending" as const })),
      now,
    );
  }

  async expireLeases(campaignId: string, now: number): Promise<string[]> {
    const stale: string[] = [];
    await queryChunks(
      campaignId,
      { filter: { expression: "leaseMin <= :now", values: { ":now": now } }, projection: "SK" },
      (items) => {
        for (const item of items) stale.push(String(item.SK).slice(RECIPIENT_CHUNK_SK_PREFIX.length));
      },
    );
    // A chunk this store cached may be older than the one just listed: drop it so the sweep reads fresh.
    for (const first of stale) this.chunks.delete(chunkKeyOf({ campaignId, first }));
    const moved: string[] = [];
    for (const first of stale) {
      const [ids] = await this.change(campaignId, [first], now, (_first, rows) => {
        const expired = rows.filter((row) => expireRow(row, now)).map((row) => row.recipientId);
        return { changed: expired.length > 0, result: expired };
      });
      moved.push(...ids!);
    }
    return moved;
  }

  async isSuppressed(emails: string[]): Promise<Set<string>> {
    await this.suppressions.refresh();
    return new Set(emails.map(normaliseEmail).filter((email) => this.suppressions.has(email)));
  }

  /**
   * Per-recipient status events are already on the chunk rows, and delivery counts reach the rollups in the
   * same writes (options.analytics); nothing else to record.
   */
  async recordStatusEvents(_events: StatusEvent[]): Promise<void> {}

  progress(campaignId: string): Promise<ProgressCounts> {
    return countChunks(campaignId);
  }

  // ---- chunk plumbing ---------------------------------------------------------------------------------

  private remember(chunk: RecipientChunk): void {
    if (this.chunks.size >= MAX_CACHED_CHUNKS) {
      this.chunks.clear();
      this.chunkOfRecipient.clear();
    }
    this.chunks.set(chunkKeyOf(chunk), chunk);
    for (const row of chunk.rows)
      this.chunkOfRecipient.set(`${chunk.campaignId}\u0000${row.recipientId}`, chunk.first);
  }

  /** Drops a chunk from the cache once nothing in it can change through this store again. */
  private forgetIfDone(campaignId: string, recipientId: string): void {
    const first = this.chunkOfRecipient.get(`${campaignId}\u0000${recipientId}`);
    if (first === undefined) return;
    const key = chunkKeyOf({ campaignId, first });
    const chunk = this.chunks.get(key);
    if (chunk?.rows.some((r) => r.status === "pending" || r.status === "sending")) return;
    this.chunks.delete(key);
    for (const row of chunk?.rows ?? [])
      this.chunkOfRecipient.delete(`${campaignId}\u0000${row.recipientId}`);
  }

  /** First recipient id of the chunk holding each id (cache first, then one query per unknown id). */
  private async locate(campaignId: string, recipientIds: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const id of recipientIds) {
      let first = this.chunkOfRecipient.get(`${campaignId}\u0000${id}`);
      if (first === undefined) {
        const chunk = await findChunk(campaignId, id);
        if (!chunk) continue;
        this.remember(chunk);
        first = chunk.first;
      }
      found.set(id, first);
    }
    return found;
  }

  /** Runs `fn` over each chunk holding some of `recipientIds`; all chunks change in one write. */
  private async perChunk<T>(
    campaignId: string,
    recipientIds: string[],
    now: number,
    fn: (rows: RecipientRow[], ids: string[]) => Change<T>,
  ): Promise<T[]> {
    const located = await this.locate(campaignId, recipientIds);
    const groups = byChunk(recipientIds, (id) => located.get(id));
    groups.delete(undefined);
    const firsts = [...groups.keys()] as string[];
    // One transaction holds at most 100 items: larger changes go in groups, each all-or-nothing on its own.
    const parts: string[][] = [];
    for (let i = 0; i < firsts.length; i += MAX_CHUNKS_PER_WRITE)
      parts.push(firsts.slice(i, i + MAX_CHUNKS_PER_WRITE));
    const results = await Promise.all(
      parts.map((part) => this.change(campaignId, part, now, (first, rows) => fn(rows, groups.get(first)!))),
    );
    return results.flat();
  }

  private async transitionOne(
    campaignId: string,
    recipientId: string,
    now: number,
    apply: (row: RecipientRow) => DeliveryCounts | null,
  ): Promise<boolean> {
    const [applied] = await this.perChunk(campaignId, [recipientId], now, (rows) => {
      const row = rows.find((r) => r.recipientId === recipientId);
      const counts = row ? apply(row) : null;
      return { changed: counts !== null, result: counts !== null, counts: counts ?? {} };
    });
    return applied ?? false;
  }

  /**
   * Read-modify-write of chunks: applies `fn` to a copy of each chunk's rows and writes every changed chunk
   * in one conditional write (with the analytics increments of all of them), if each is still at the version
   * read; on a lost race re-reads the chunks that moved on and applies `fn` again to the rows as they are now.
   * Results come in the order of `firsts`.
   * @throws UnavailableError when the chunks keep changing under us.
   */
  private change<T>(
    campaignId: string,
    firsts: string[],
    now: number,
    fn: (first: string, rows: RecipientRow[]) => Change<T>,
  ): Promise<T[]> {
    const keys = firsts.map((first) => chunkKeyOf({ campaignId, first }));
    const run = async (): Promise<T[]> => {
      // A cached chunk may be stale: a write computed from it fails on the version, and a "nothing to do"
      // computed from it is only believed after a fresh read.
      const state = new Map<string, { chunk: RecipientChunk | undefined; fresh: boolean }>();
      const reread = async (first: string) =>
        state.set(first, { chunk: (await readChunk(campaignId, first)) ?? undefined, fresh: true });
      for (const [i, first] of firsts.entries()) {
        const cached = this.chunks.get(keys[i]!);
        if (cached) state.set(first, { chunk: cached, fresh: false });
        else await reread(first);
      }
      for (let race = 0; race < MAX_CHUNK_RACES; race++) {
        const results: T[] = [];
        const writes: RecipientChunk[] = [];
        const unsure: string[] = [];
        const counts: Required<DeliveryCounts> = { queued: 0, sent: 0, failed: 0 };
        for (const first of firsts) {
          const { chunk, fresh } = state.get(first)!;
          if (!chunk) {
            results.push(fn(first, []).result);
            continue;
          }
          const rows = chunk.rows.map((r) => ({ ...r }));
          const out = fn(first, rows);
          results.push(out.result);
          if (out.changed) {
            writes.push({ ...chunk, version: chunk.version + 1, rows });
            for (const [k, n] of Object.entries(out.counts ?? {}))
              counts[k as keyof DeliveryCounts] += n ?? 0;
          } else if (!fresh) unsure.push(first);
        }
        if (unsure.length > 0) {
          for (const first of unsure) await reread(first);
          continue;
        }
        if (writes.length === 0) {
          for (const { chunk } of state.values()) if (chunk) this.remember(chunk);
          return results;
        }
        const analytics = this.options.analytics;
        const counted = analytics !== undefined && nonZero(counts);
        const alongside = counted ? analytics.items(await this.campaignFor(campaignId), counts, now) : [];
        const stale = await writeChunks(writes, alongside);
        if (stale.length === 0) {
          for (const chunk of writes) this.remember(chunk);
          if (counted) analytics.written?.();
          return results;
        }
        for (const first of stale) await reread(first);
      }
      throw new UnavailableError("A campaign's recipients kept changing concurrently; try again.");
    };
    // Changes to one chunk from this process run one after another instead of racing each other.
    const previous = Promise.all(keys.map((key) => this.queues.get(key)));
    const mine = previous.then(run, run);
    const tail = mine.catch(() => undefined);
    for (const key of keys) this.queues.set(key, tail);
    void tail.then(() => {
      for (const key of keys) if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return mine;
  }

  private async campaignFor(campaignId: string): Promise<CampaignSnapshot> {
    let campaign = this.campaigns.get(campaignId);
    if (!campaign) campaign = await this.loadCampaign(campaignId);
    if (!campaign) throw new Error(`Campaign ${campaignId} vanished while its recipients were being sent.`);
    return campaign;
  }
}
