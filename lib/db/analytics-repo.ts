import { createHash } from "node:crypto";

import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

import { COUNTER_COUNT, type RollupDims, type RollupRow, emptyRow } from "@/lib/analytics/rollup";
import { COUNTERS, type Counter } from "@/lib/analytics/schemas";
import { putAll } from "@/lib/db/batch";
import { getDb, tableName } from "@/lib/db/client";
import {
  EVENTS_LIST_PK,
  ROLLUP_FEED_SHARDS,
  USERS_LIST_PK,
  emailGuardKey,
  slugGuardKey,
  type Key,
  firstSeenKey,
  rollupFeedKeys,
  rollupFeedPk,
  rollupKey,
  statusEventSeenKey,
} from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import { TTL_ATTRIBUTE } from "@/lib/db/table";
import { type TxItem, conditionFailed, transactWrite } from "@/lib/db/transact";

// No "server-only": the campaign runner and scripts/bench-analytics.ts run this under tsx.

/** Dedupe markers outlive any sane redelivery window (SES/SNS retry for hours, Inngest for days). */
export const DEDUPE_TTL_SECONDS = 90 * 24 * 3600;

const totalAttr = (c: Counter) => `c_${c}`;
const hourAttr = (c: Counter, hour: number) => `h_${c}_${String(hour).padStart(2, "0")}`;

/** Stable feed shard of a row, so its index entry moves within one shard only. */
export function feedShard(key: Key): number {
  return createHash("sha1").update(`${key.PK}\n${key.SK}`).digest().readUInt32BE(0) % ROLLUP_FEED_SHARDS;
}

/** Feed sort key: update time plus a random tail so equal-millisecond stamps stay distinct and ordered. */
export function feedStamp(now: Date = new Date()): string {
  return `${now.toISOString()}#${Math.random().toString(36).slice(2, 8)}`;
}

export interface RollupIncrement {
  statusEventId: string;
  /** Present when the event may be a recipient's first human open/click. */
  marker: { campaignId: string; recipientId: string; kind: "opened" | "clicked" } | null;
  day: string;
  hour: number;
  dims: RollupDims;
  counters: readonly Counter[];
}

export type IncrementOutcome = "applied" | "duplicate" | "not_first";

class Cancelled extends Error {
  constructor(readonly outcome: IncrementOutcome) {
    super(outcome);
  }
}

/**
 * The rollup row update adding `counts` to a row's totals and to one hour, with the row's dimensions and its
 * change-feed entry. Part of a caller's transaction: the ingest verb's (with its dedupe marker) or the
 * fan-out's recipient chunk writes (whose version condition already makes each count happen once).
 */
export function rollupAddItem(
  add: { day: string; hour: number; dims: RollupDims; counts: readonly (readonly [Counter, number])[] },
  now: Date = new Date(),
): TxItem {
  const key = rollupKey(add.day, add.dims);
  const names: Record<string, string> = {
    "#day": "day",
    "#cid": "campaignId",
    "#eid": "eventId",
    "#src": "utmSource",
    "#med": "utmMedium",
    "#cmp": "utmCampaign",
    "#fpk": "GSI1PK",
    "#fsk": "GSI1SK",
    "#ent": "entity",
    "#upd": "updatedAt",
  };
  const values: Record<string, unknown> = {};
  const adds = add.counts.flatMap(([counter, n], i) => {
    names[`#t${i}`] = totalAttr(counter);
    names[`#h${i}`] = hourAttr(counter, add.hour);
    values[`:n${i}`] = n;
    return [`#t${i} :n${i}`, `#h${i} :n${i}`];
  });
  const feed = rollupFeedKeys(feedShard(key), feedStamp(now));
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression:
        "SET #fpk = :fpk, #fsk = :fsk, #upd = :upd, #ent = :ent, #day = :day, #cid = :cid, #eid = :eid, #src = :src, #med = :med, #cmp = :cmp" +
        (adds.length > 0 ? ` ADD ${adds.join(", ")}` : ""),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ":fpk": feed.GSI1PK,
        ":fsk": feed.GSI1SK,
        ":upd": now.toISOString(),
        ":ent": "Rollup",
        ":day": add.day,
        ":cid": add.dims.campaignId,
        ":eid": add.dims.eventId,
        ":src": add.dims.source,
        ":med": add.dims.medium,
        ":cmp": add.dims.campaign,
        ...values,
      },
    },
  };
}

/**
 * Records one status event: the dedupe marker, the optional first-seen marker and the counter ADDs on the
 * rollup row, in one transaction. "duplicate" = this status event id was already counted (nothing written);
 * "not_first" = the first-seen marker exists (nothing written; retry with non-unique counters).
 * @throws UnavailableError after exhausted retries; ConflictError when the transaction fails otherwise.
 */
export async function incrementRollup(
  inc: RollupIncrement,
  now: Date = new Date(),
): Promise<IncrementOutcome> {
  const table = tableName();
  const items: TxItem[] = [
    {
      Put: {
        TableName: table,
        Item: {
          ...statusEventSeenKey(inc.statusEventId),
          entity: "StatusEventSeen",
          [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + DEDUPE_TTL_SECONDS,
        },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    },
  ];
  if (inc.marker) {
    items.push({
      Put: {
        TableName: table,
        Item: {
          ...firstSeenKey(inc.marker.campaignId, inc.marker.recipientId, inc.marker.kind),
          entity: "FirstSeen",
          at: now.toISOString(),
        },
        ConditionExpression: "attribute_not_exists(PK)",
      },
    });
  }
  items.push(
    rollupAddItem(
      { day: inc.day, hour: inc.hour, dims: inc.dims, counts: inc.counters.map((c) => [c, 1]) },
      now,
    ),
  );
  try {
    await transactWrite(items, (reasons) => {
      if (conditionFailed(reasons, 0)) return new Cancelled("duplicate");
      if (inc.marker && conditionFailed(reasons, 1)) return new Cancelled("not_first");
      return new Error("Rollup transaction cancelled without a failed condition.");
    });
    return "applied";
  } catch (error) {
    if (error instanceof Cancelled) return error.outcome;
    throw error;
  }
}

/** The stored item of a row as ingest would leave it; the bench bulk-loads these. */
export function rollupItem(row: RollupRow, now: Date = new Date()): Record<string, unknown> {
  const key = rollupKey(row.day, row);
  const item: Record<string, unknown> = {
    ...key,
    ...rollupFeedKeys(feedShard(key), feedStamp(now)),
    entity: "Rollup",
    updatedAt: now.toISOString(),
    day: row.day,
    campaignId: row.campaignId,
    eventId: row.eventId,
    utmSource: row.source,
    utmMedium: row.medium,
    utmCampaign: row.campaign,
  };
  COUNTERS.forEach((c, i) => {
    if (row.totals[i]) item[totalAttr(c)] = row.totals[i];
    for (let h = 0; h < 24; h++) {
      const v = row.hours[i * 24 + h];
      if (v) item[hourAttr(c, h)] = v;
    }
  });
  return item;
}

export function toRollupRow(item: Record<string, unknown>): RollupRow {
  const str = (k: string) => (typeof item[k] === "string" ? (item[k] as string) : "");
  const row = emptyRow(str("day"), {
    campaignId: str("campaignId"),
    eventId: str("eventId"),
    source: str("utmSource"),
    medium: str("utmMedium"),
    campaign: str("utmCampaign"),
  });
  for (let i = 0; i < COUNTER_COUNT; i++) {
    const c = COUNTERS[i]!;
    row.totals[i] = Number(item[totalAttr(c)] ?? 0);
    if (row.totals[i] === 0) continue;
    for (let h = 0; h < 24; h++) row.hours[i * 24 + h] = Number(item[hourAttr(c, h)] ?? 0);
  }
  return row;
}

/**
 * Rollup rows updated after `since` (a feed stamp; "" = all), from every feed shard in parallel, plus the
 * greatest stamp seen.
 * @throws UnavailableError after exhausted retries.
 */
export async function readRollupFeed(
  since: string,
): Promise<{ items: Record<string, unknown>[]; maxStamp: string }> {
  const shards = Array.from({ length: ROLLUP_FEED_SHARDS }, (_, i) => i);
  const pages = await Promise.all(shards.map((s) => queryShard(s, since === "" ? "0" : since)));
  const items = pages.flat();
  let maxStamp = since;
  for (const item of items) if ((item.GSI1SK as string) > maxStamp) maxStamp = item.GSI1SK as string;
  return { items, maxStamp };
}

async function queryShard(shard: number, since: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await withRetry(() =>
      getDb().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "GSI1",
          KeyConditionExpression: "GSI1PK = :pk AND GSI1SK > :since",
          ExpressionAttributeValues: { ":pk": rollupFeedPk(shard), ":since": since },
          ExclusiveStartKey: start,
        }),
      ),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Bulk-writes rollup items (benchmarks and backfills); unprocessed items are retried.
 * @throws UnavailableError after exhausted retries.
 */
export function putRollupItems(items: Record<string, unknown>[]): Promise<void> {
  return putAll(items);
}

// ---- Engagement reads ------------------------------------------------------------------------------------

export interface UserCounts {
  userId: string;
  name: string;
  hosted: number;
  attended: number;
}

export interface EventFill {
  eventId: string;
  title: string;
  startAt: string;
  registered: number;
  capacity: number | null;
}

async function queryAll(
  pk: string,
  projection: string,
  names: Record<string, string>,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await withRetry(() =>
      getDb().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: "GSI1",
          KeyConditionExpression: "GSI1PK = :pk",
          ExpressionAttributeValues: { ":pk": pk },
          ProjectionExpression: projection,
          ExpressionAttributeNames: names,
          ExclusiveStartKey: start,
        }),
      ),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Every live user's host/attendee counters (projected, so items stay small). O(users): engagement reads only.
 * @throws UnavailableError after exhausted retries.
 */
export async function listUserCounts(): Promise<UserCounts[]> {
  const items = await queryAll(USERS_LIST_PK, "#id, #fn, #ln, #h, #a, #del", {
    "#id": "id",
    "#fn": "firstName",
    "#ln": "lastName",
    "#h": "hostedEventCount",
    "#a": "attendedEventCount",
    "#del": "deletingAt",
  });
  return items
    .filter((i) => i.deletingAt === undefined)
    .map((i) => ({
      userId: String(i.id),
      name: `${String(i.firstName ?? "")} ${String(i.lastName ?? "")}`.trim(),
      hosted: Number(i.hostedEventCount ?? 0),
      attended: Number(i.attendedEventCount ?? 0),
    }));
}

/**
 * Every live event's registrations against capacity.
 * @throws UnavailableError after exhausted retries.
 */
export async function listEventFill(): Promise<EventFill[]> {
  const items = await queryAll(EVENTS_LIST_PK, "#id, #t, #s, #r, #c, #del", {
    "#id": "id",
    "#t": "title",
    "#s": "startAt",
    "#r": "registeredCount",
    "#c": "maxCapacity",
    "#del": "deletingAt",
  });
  return items
    .filter((i) => i.deletingAt === undefined)
    .map((i) => ({
      eventId: String(i.id),
      title: String(i.title ?? ""),
      startAt: String(i.startAt ?? ""),
      registered: Number(i.registeredCount ?? 0),
      capacity: typeof i.maxCapacity === "number" ? i.maxCapacity : null,
    }));
}

// ---- Public page lookups ---------------------------------------------------------------------------------

/** The event id a slug belongs to, or null. */
export async function findEventIdBySlug(slug: string): Promise<string | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: slugGuardKey(slug) })),
  );
  return typeof out.Item?.eventId === "string" ? out.Item.eventId : null;
}

/** The id of the user owning an email (case-insensitive), or null. */
export async function findUserIdByEmail(email: string): Promise<string | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: emailGuardKey(email), ConsistentRead: true })),
  );
  return typeof out.Item?.userId === "string" ? out.Item.userId : null;
}
