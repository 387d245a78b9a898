/**
 * Audience filter benchmark.
 *
 *   npm run bench:filter -- --in-memory-only [--users 1000000] [--queries 1000] [--seed 7] [--no-append]
 *   npm run bench:filter -- --dynamo [--dynamo-users 20000] [--only-dynamo]
 *
 * Phase 1 (`inMemory`): the embedded engine in process. Phase 2 (`dynamo`, opt-in): the same generator into
 * the local DynamoDB stand-in, the index rebuilt through Scan + stream by the real consumer, stream
 * catch-up, and the original service's Scan + FilterExpression side by side with the engine on the same
 * queries. Still to add: the HTTP path (once the audience route exists). Each phase returns report rows.
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";

import { faker } from "@faker-js/faker";

import { MemoryAudienceIndex } from "@/lib/audience/engine/memory-audience-index";
import {
  DEFAULT_PAGE_SIZE,
  SORT_FIELDS,
  type AudienceChange,
  type AudienceUser,
  type FilterNode,
  type KeywordField,
  type SortSpec,
} from "@/lib/audience/schemas";

const { values: args } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    queries: { type: "string", default: "1000" },
    seed: { type: "string", default: "7" },
    "in-memory-only": { type: "boolean", default: false },
    dynamo: { type: "boolean", default: false },
    "dynamo-users": { type: "string", default: "20000" },
    "only-dynamo": { type: "boolean", default: false },
    "no-append": { type: "boolean", default: false },
  },
});
const N = Number(args.users);
const QUERIES = Number(args.queries);
const SEED = Number(args.seed);
const NOW = new Date("2026-11-25T12:00:00.000Z");

// ---- seeded data shaped like production: few big companies, a long tail, power-law counters ----------

/** mulberry32: tiny, fast, seedable; statistical quality is plenty for a benchmark mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipf(s) sampler over n ranks via a cumulative table and binary search. */
function zipf(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function uniquePool(size: number, make: () => string): string[] {
  const seen = new Set<string>();
  for (let guard = 0; seen.size < size && guard < size * 50; guard++) seen.add(make());
  let i = 0;
  while (seen.size < size) seen.add(`${make()} ${++i}`);
  return [...seen];
}

faker.seed(SEED);
const pools = {
  company: uniquePool(2_000, () => faker.company.name()),
  jobTitle: uniquePool(500, () => faker.person.jobTitle()),
  city: uniquePool(5_000, () => faker.location.city()),
  state: uniquePool(50, () => faker.location.state({ abbreviated: true })),
  gender: ["female", "male", "non-binary", "prefer not to say"],
  firstName: uniquePool(3_000, () => faker.person.firstName()),
  lastName: uniquePool(8_000, () => faker.person.lastName()),
  domain: uniquePool(300, () => faker.internet.domainName()),
};
const rand = prng(SEED);
const pick = {
  company: zipf(pools.company.length, 1.0, rand),
  jobTitle: zipf(pools.jobTitle.length, 1.0, rand),
  city: zipf(pools.city.length, 1.1, rand),
  state: zipf(pools.state.length, 0.8, rand),
  gender: zipf(pools.gender.length, 1.5, rand),
  firstName: zipf(pools.firstName.length, 0.9, rand),
  lastName: zipf(pools.lastName.length, 0.8, rand),
  domain: zipf(pools.domain.length, 1.2, rand),
};
const EVENTS = Math.max(100, Math.round(N / 50));
const pickEvent = zipf(EVENTS, 1.05, rand);
const eventId = (i: number) => `evt_${i.toString(36).padStart(6, "0")}`;
const userId = (i: number) =>
  `usr_${(Math.imul(i + 1, 2654435761) >>> 0).toString(16).padStart(8, "0")}${i.toString(36)}`;

/** Pareto-like integer: mostly 0, occasionally large. */
function powerLaw(pZero: number, alpha: number, cap: number): number {
  if (rand() < pZero) return 0;
  return Math.min(cap, Math.floor(1 / Math.pow(1 - rand(), 1 / alpha)));
}

function makeUser(i: number): AudienceUser {
  const first = pools.firstName[pick.firstName()]!;
  const last = pools.lastName[pick.lastName()]!;
  const u: AudienceUser = {
    id: userId(i),
    firstName: first,
    lastName: last,
    email: `${first}.${last}${i % 97}@${pools.domain[pick.domain()]}`
      .toLowerCase()
      .replace(/[^a-z0-9.@-]/g, ""),
    hostedEventCount: powerLaw(0.9, 1.3, 400),
    attendedEventCount: powerLaw(0.35, 1.1, 2_000),
    createdAt: new Date(NOW.getTime() - Math.floor(rand() * 3 * 365 * 86_400_000)).toISOString(),
  };
  if (rand() < 0.7)
    u.phoneNumber = `+1 ${200 + Math.floor(rand() * 800)} 555 ${String(i % 10_000).padStart(4, "0")}`;
  if (rand() < 0.3) u.avatar = `https://avatars.rally.local/${u.id}.png`;
  if (rand() < 0.8) u.gender = pools.gender[pick.gender()];
  for (const [field, p] of [
    ["company", 0.85],
    ["jobTitle", 0.8],
    ["city", 0.9],
    ["state", 0.9],
  ] as const) {
    if (rand() < p) u[field] = pools[field][pick[field]()];
  }
  return u;
}

function* changeBatches(batchSize = 10_000): Generator<AudienceChange[]> {
  const DAY = 86_400_000;
  let batch: AudienceChange[] = [];
  const flush = function* () {
    if (batch.length > 0) yield batch;
    batch = [];
  };
  for (let e = 0; e < EVENTS; e++) {
    // Two years back to half a year ahead; ~80% of events have ended by NOW.
    const start = NOW.getTime() - Math.floor((rand() * 2.5 - 0.5) * 365 * DAY);
    batch.push({
      type: "event.upsert",
      event: {
        id: eventId(e),
        startAt: new Date(start).toISOString(),
        endAt: new Date(start + 3 * 3_600_000).toISOString(),
      },
    });
    const hosts = 1 + (rand() < 0.3 ? 1 + Math.floor(rand() * 2) : 0);
    for (let h = 0; h < hosts; h++)
      batch.push({ type: "host.put", eventId: eventId(e), userId: userId(Math.floor(rand() * N)) });
  }
  yield* flush();
  for (let i = 0; i < N; i++) {
    batch.push({ type: "user.upsert", user: makeUser(i) });
    // ~2 registrations per user on average, concentrated on popular events.
    const regs = powerLaw(0.4, 1.2, 50);
    for (let r = 0; r < regs; r++)
      batch.push({ type: "registration.put", eventId: eventId(pickEvent()), userId: userId(i) });
    if (batch.length >= batchSize) yield* flush();
  }
  yield* flush();
}

// ---- the fixed query mix ----------------------------------------------------------------------------

const KEYWORDS: KeywordField[] = ["company", "jobTitle", "city", "state", "gender"];

function makeCondition(): FilterNode {
  const r = rand();
  if (r < 0.45) {
    const field = KEYWORDS[Math.floor(rand() * KEYWORDS.length)]!;
    const n = 1 + Math.floor(rand() * 3);
    const values = Array.from({ length: n }, () => pools[field][pick[field]()]!.toUpperCase());
    return { field, in: [...new Set(values)] };
  }
  if (r < 0.6) {
    const field = rand() < 0.5 ? "hostedEventCount" : "attendedEventCount";
    const lo = Math.floor(rand() * 4);
    const shape = rand();
    if (shape < 0.4) return { field, gte: lo };
    if (shape < 0.6) return { field, lte: lo + 2 };
    return { field, gte: lo, lte: lo + 1 + Math.floor(rand() * 10) };
  }
  if (r < 0.72) {
    const source = rand() < 0.5 ? pools.firstName[pick.firstName()]! : pools.lastName[pick.lastName()]!;
    return { q: source.slice(0, 1 + Math.floor(rand() * 3)) };
  }
  const event = eventId(pickEvent());
  const kind = rand();
  if (kind < 0.4) return { attended: event };
  if (kind < 0.8) return { registered: event };
  return { hosted: event };
}

function makeQuery(): { filter: FilterNode; sort: SortSpec; conditions: number } {
  const conditions = 1 + Math.floor(rand() * 8);
  const parts: FilterNode[] = [];
  for (let c = 0; c < conditions; c++) {
    const node = makeCondition();
    const shape = rand();
    if (shape < 0.15) parts.push({ not: node });
    else if (shape < 0.25 && c + 1 < conditions) {
      parts.push({ any: [node, makeCondition()] });
      c++;
    } else parts.push(node);
  }
  const sort: SortSpec = {
    field: SORT_FIELDS[Math.floor(rand() * SORT_FIELDS.length)]!,
    order: rand() < 0.5 ? "asc" : "desc",
  };
  return { filter: { all: parts }, sort, conditions };
}

// ---- phases -------------------------------------------------------------------------------------------

interface Row {
  label: string;
  value: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (v: number) => `${v.toFixed(3)} ms`;

async function inMemory(): Promise<Row[]> {
  gc();
  const before = process.memoryUsage();
  const index = new MemoryAudienceIndex();
  // Only applySync is timed; generating the data is not the engine's cost.
  let loadMs = 0;
  for (const batch of changeBatches()) {
    const start = performance.now();
    index.applySync(batch);
    loadMs += performance.now() - start;
  }
  let t = performance.now();
  index.warm();
  const warmMs = performance.now() - t;
  gc();
  const after = process.memoryUsage();
  const stats = index.stats();
  console.log(
    `loaded ${stats.users} users in ${(loadMs / 1000).toFixed(1)} s, sort orders built in ${(warmMs / 1000).toFixed(1)} s`,
  );

  const queries = Array.from({ length: QUERIES }, makeQuery);
  // JIT warm-up on a separate slice of the same mix.
  const warmup = Array.from({ length: 100 }, makeQuery);
  for (const q of warmup)
    await index.query({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE, now: NOW });

  const run = async () => {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let matched = 0;
    let empty = 0;
    for (const q of queries) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const page = await index.query({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE, now: NOW });
      times.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      matched += page.total;
      if (page.total === 0) empty++;
    }
    return {
      times: times.sort((a, b) => a - b),
      cpuTimes: cpuTimes.sort((a, b) => a - b),
      meanTotal: matched / queries.length,
      empty,
    };
  };
  const clean = await run();

  const facetTimes: number[] = [];
  for (const q of queries.slice(0, 200)) {
    const start = performance.now();
    await index.facets(q.filter, ["company", "jobTitle", "city", "state", "gender"], 10, NOW);
    facetTimes.push(performance.now() - start);
  }
  facetTimes.sort((a, b) => a - b);

  // A stream's worth of edits after the sort orders exist: they go to the dirty overlay, not a re-sort.
  const edits = Math.min(5_000, Math.floor(N / 100));
  t = performance.now();
  for (let e = 0; e < edits; e++) {
    const u = makeUser(Math.floor(rand() * N));
    index.applySync([{ type: "user.upsert", user: u }]);
  }
  const editMs = performance.now() - t;
  const dirty = await run();

  const rows: Row[] = [
    {
      label: "users / events / registrations / host links",
      value: `${stats.users} / ${stats.events} / ${stats.registrations} / ${stats.hostLinks}`,
    },
    {
      label: "load (applyChanges, in batches of 10k)",
      value: `${(loadMs / 1000).toFixed(1)} s = ${Math.round(stats.users / (loadMs / 1000)).toLocaleString("en-US")} users/s`,
    },
    { label: "build 10 sort orders + 3 search orders", value: `${(warmMs / 1000).toFixed(1)} s` },
    {
      label: "heap used + array buffers, delta after load",
      value: mb(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers),
    },
    { label: "RSS after load", value: mb(after.rss) },
    { label: "engine's own estimate (stats().memoryBytes)", value: mb(stats.memoryBytes ?? 0) },
    {
      label: `query p50 / p95 / p99 / max (${QUERIES} queries, total + first ${DEFAULT_PAGE_SIZE} sorted)`,
      value: `${ms(percentile(clean.times, 50))} / ${ms(percentile(clean.times, 95))} / ${ms(percentile(clean.times, 99))} / ${ms(clean.times.at(-1)!)}`,
    },
    {
      label: "same, CPU time of this process per query (less sensitive to other load)",
      value: `${ms(percentile(clean.cpuTimes, 50))} / ${ms(percentile(clean.cpuTimes, 95))} / ${ms(percentile(clean.cpuTimes, 99))} / ${ms(clean.cpuTimes.at(-1)!)}`,
    },
    {
      label: "mean total per query / queries matching nobody",
      value: `${Math.round(clean.meanTotal).toLocaleString("en-US")} / ${clean.empty}`,
    },
    {
      label: "facets, 5 fields top 10, p50 / p95 (200 queries)",
      value: `${ms(percentile(facetTimes, 50))} / ${ms(percentile(facetTimes, 95))}`,
    },
    {
      label: `${edits} user edits after the build`,
      value: `${((editMs / edits) * 1000).toFixed(1)} µs each`,
    },
    {
      label: "query p50 / p95 / p99 with those edits in the overlay",
      value: `${ms(percentile(dirty.times, 50))} / ${ms(percentile(dirty.times, 95))} / ${ms(percentile(dirty.times, 99))}`,
    },
  ];
  return rows;
}

// ---- phase 2: the DynamoDB stand-in ----------------------------------------------------------------

/** Stored items as docs/data-model.md describes them (only the attributes the audience reads, plus keys). */
function* tableItems(users: number): Generator<Record<string, unknown>> {
  const events = Math.max(20, Math.round(users / 50));
  for (let e = 0; e < events; e++) {
    const start = NOW.getTime() - Math.floor((rand() * 2.5 - 0.5) * 365 * 86_400_000);
    const id = eventId(e);
    yield {
      PK: `EVENT#${id}`,
      SK: "DETAILS",
      entity: "Event",
      id,
      startAt: new Date(start).toISOString(),
      endAt: new Date(start + 3 * 3_600_000).toISOString(),
    };
    const owner = userId(Math.floor(rand() * users));
    yield {
      PK: `EVENT#${id}`,
      SK: `HOST#${owner}`,
      entity: "HostLink",
      eventId: id,
      userId: owner,
      role: "owner",
    };
  }
  const pickSmallEvent = zipf(events, 1.05, rand);
  for (let i = 0; i < users; i++) {
    const u = makeUser(i);
    yield { PK: `USER#${u.id}`, SK: "PROFILE", entity: "User", emailLower: u.email.toLowerCase(), ...u };
    const regs = powerLaw(0.4, 1.2, 20);
    const seen = new Set<number>();
    for (let r = 0; r < regs; r++) {
      const e = pickSmallEvent();
      if (seen.has(e)) continue;
      seen.add(e);
      yield {
        PK: `EVENT#${eventId(e)}`,
        SK: `REG#${u.id}`,
        entity: "Registration",
        eventId: eventId(e),
        userId: u.id,
      };
    }
  }
}

/** The old service's query: Scan the whole table with a FilterExpression (case-sensitive), sort in memory. */
function legacyFilter(conditions: FilterNode[]): {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const names: Record<string, string> = { "#entity": "entity" };
  const values: Record<string, unknown> = { ":user": "User" };
  const parts = ["#entity = :user"];
  conditions.forEach((c, i) => {
    if (!("field" in c)) throw new Error("legacy queries use flat conditions only");
    names[`#f${i}`] = c.field;
    if ("in" in c) {
      const keys = c.in.map((v, j) => {
        values[`:v${i}_${j}`] = v;
        return `:v${i}_${j}`;
      });
      parts.push(`#f${i} IN (${keys.join(", ")})`);
    } else {
      if (c.gte !== undefined) {
        values[`:lo${i}`] = c.gte;
        parts.push(`#f${i} >= :lo${i}`);
      }
      if (c.lte !== undefined) {
        values[`:hi${i}`] = c.lte;
        parts.push(`#f${i} <= :hi${i}`);
      }
    }
  });
  return { expression: parts.join(" AND "), names, values };
}

function legacyQuery(): FilterNode[] {
  const n = 1 + Math.floor(rand() * 3);
  const out: FilterNode[] = [];
  for (let k = 0; k < n; k++) {
    if (rand() < 0.6) {
      const field = (["company", "jobTitle", "city", "state"] as const)[Math.floor(rand() * 4)]!;
      out.push({ field, in: [pools[field][pick[field]()]!] });
    } else {
      out.push({
        field: rand() < 0.5 ? "hostedEventCount" : "attendedEventCount",
        gte: Math.floor(rand() * 3),
      });
    }
  }
  return out;
}

async function dynamo(): Promise<Row[]> {
  const M = Number(args["dynamo-users"]);
  const { startLocalAws, localClientConfig } = await import("@/dev/local-aws");
  const { resetEnvCache } = await import("@/lib/env");
  const { ensureTable } = await import("@/lib/db/table");
  const { DynamoDBClient, ScanCommand } = await import("@aws-sdk/client-dynamodb");
  const { DynamoDBStreamsClient } = await import("@aws-sdk/client-dynamodb-streams");
  const { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } = await import("@aws-sdk/lib-dynamodb");
  const { unmarshall } = await import("@aws-sdk/util-dynamodb");
  const { AudienceStreamConsumer } = await import("@/lib/audience/sync/stream-consumer");

  const aws = await startLocalAws();
  try {
    const table = "rally-bench-filter";
    Object.assign(process.env, { DYNAMODB_ENDPOINT: aws.dynamoEndpoint, DYNAMODB_TABLE: table });
    resetEnvCache();
    await ensureTable();
    const raw = new DynamoDBClient(localClientConfig(aws.dynamoEndpoint));
    const doc = DynamoDBDocumentClient.from(raw);

    // Load with BatchWrite, 25 per request, 4 writers; unprocessed items are resent.
    let t = performance.now();
    let written = 0;
    const items = tableItems(M);
    const writer = async () => {
      for (;;) {
        const batch: Record<string, unknown>[] = [];
        while (batch.length < 25) {
          const next = items.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (batch.length === 0) return;
        let requests = batch.map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
          requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        }
        written += batch.length;
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    const loadMs = performance.now() - t;

    // Rebuild through the real consumer: position, parallel Scan, catch up with the stream.
    const index = new MemoryAudienceIndex();
    const streams = new DynamoDBStreamsClient(localClientConfig(aws.dynamoEndpoint));
    const consumer = new AudienceStreamConsumer({
      index,
      db: raw,
      streams,
      tableName: table,
      scanSegments: 4,
    });
    t = performance.now();
    const started = await consumer.start();
    const rebuildMs = performance.now() - t;

    // Stream catch-up: 1,000 profile edits written, then applied by polling.
    const edits = Math.min(1_000, M);
    for (let e = 0; e < edits; e++) {
      const u = makeUser(Math.floor(rand() * M));
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: { PK: `USER#${u.id}`, SK: "PROFILE", entity: "User", ...u },
        }),
      );
    }
    t = performance.now();
    let applied = 0;
    while (applied < edits) applied += await consumer.pollOnce();
    const catchUpMs = performance.now() - t;

    // The same flat queries: old Scan + FilterExpression versus the engine.
    const legacy: number[] = [];
    const engine: number[] = [];
    let agree = 0;
    const sample = Array.from({ length: 10 }, legacyQuery);
    for (const conditions of sample) {
      const f = legacyFilter(conditions);
      const start = performance.now();
      const rows: Record<string, unknown>[] = [];
      let key: Record<string, unknown> | undefined;
      do {
        const page = await raw.send(
          new ScanCommand({
            TableName: table,
            FilterExpression: f.expression,
            ExpressionAttributeNames: f.names,
            ExpressionAttributeValues: Object.fromEntries(
              Object.entries(f.values).map(([k, v]) => [
                k,
                typeof v === "number" ? { N: String(v) } : { S: String(v) },
              ]),
            ),
            ExclusiveStartKey: key as never,
          }),
        );
        for (const item of page.Items ?? []) rows.push(unmarshall(item));
        key = page.LastEvaluatedKey;
      } while (key);
      // The old service sorted every match in memory, then sliced the first page.
      rows.sort((a, b) => String(a.lastName).localeCompare(String(b.lastName)));
      legacy.push(performance.now() - start);
      const e0 = performance.now();
      const page = await index.query({ filter: { all: conditions }, limit: DEFAULT_PAGE_SIZE, now: NOW });
      engine.push(performance.now() - e0);
      if (page.total === rows.length) agree++;
    }
    legacy.sort((a, b) => a - b);
    engine.sort((a, b) => a - b);
    await consumer.stop();
    raw.destroy();
    streams.destroy();
    return [
      {
        label: "items written (users, events, host links, registrations)",
        value: `${written.toLocaleString("en-US")} in ${(loadMs / 1000).toFixed(1)} s (BatchWrite ×4, ${Math.round(written / (loadMs / 1000))} items/s)`,
      },
      {
        label: "rebuild: stream position + 4-segment Scan + catch-up",
        value: `${started.users.toLocaleString("en-US")} users in ${(rebuildMs / 1000).toFixed(1)} s (${Math.round(started.users / (rebuildMs / 1000))} users/s)`,
      },
      {
        label: `stream catch-up after ${edits} profile writes`,
        value: `${Math.round(catchUpMs)} ms (${Math.round(edits / (catchUpMs / 1000))} records/s)`,
      },
      {
        label: "old Scan + FilterExpression, total + first page, p50 / max (10 flat queries)",
        value: `${ms(percentile(legacy, 50))} / ${ms(legacy.at(-1)!)}`,
      },
      {
        label: "engine on the same queries, p50 / max",
        value: `${ms(percentile(engine, 50))} / ${ms(engine.at(-1)!)}`,
      },
      { label: "same total from both (old is case-sensitive)", value: `${agree} of ${sample.length}` },
    ];
  } finally {
    await aws.stop();
  }
}

const PHASES: Record<string, () => Promise<Row[]>> = {};
if (!args["only-dynamo"]) PHASES["embedded engine, in process"] = inMemory;
if ((args.dynamo || args["only-dynamo"]) && !args["in-memory-only"]) {
  PHASES[`local DynamoDB stand-in, ${Number(args["dynamo-users"]).toLocaleString("en-US")} users`] = dynamo;
}

async function main(): Promise<void> {
  const started = new Date();
  const sections: string[] = [];
  for (const [name, phase] of Object.entries(PHASES)) {
    console.log(`== ${name}`);
    const rows = await phase();
    for (const r of rows) console.log(`${r.label.padEnd(72)} ${r.value}`);
    sections.push(
      `### ${name}\n\n| measure | value |\n| --- | --- |\n${rows.map((r) => `| ${r.label} | ${r.value} |`).join("\n")}\n`,
    );
  }
  if (args["no-append"]) return;
  const cpu = os.cpus();
  const report = `
## bench:filter — ${started.toISOString().slice(0, 16).replace("T", " ")} UTC

Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}; shared with other work, so treat single runs as indicative.
Command: \`npm run bench:filter -- ${process.argv.slice(2).join(" ")}\` (users ${N}, queries ${QUERIES}, seed ${SEED})

Data (seeded): ${N.toLocaleString("en-US")} users; Zipf-skewed pools of 2,000 companies, 500 job titles, 5,000 cities, 50 states,
4 genders, 3,000 first and 8,000 last names; hosted counts 90% zero with a power-law tail, attended 35% zero with a
power-law tail; ${EVENTS.toLocaleString("en-US")} events (80% ended), 1–3 hosts each, ~2 registrations per user skewed to popular events.
Query mix (seeded, ${QUERIES} queries): 1–8 conditions ANDed; per condition 45% keyword (1–3 values, upper-cased to
exercise normalisation), 15% counter range, 12% name/email prefix of 1–3 letters, 28% attended/registered/hosted of a
Zipf-picked event; 15% wrapped in not, 10% paired in an any; sort field and direction uniform over the 10 sortable
fields; each query returns total + the first ${DEFAULT_PAGE_SIZE} rows sorted. 100 warm-up queries first.

${sections.join("\n")}`;
  const path = "docs/benchmarks.md";
  if (!existsSync(path))
    writeFileSync(
      path,
      "# Benchmarks\n\nDated runs, newest last. Each section names its command and machine.\n",
    );
  appendFileSync(path, report);
  console.log(`appended to ${path}`);
}

await main();
