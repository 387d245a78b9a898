/**
 * Audience filter benchmark: every target of the audience issue in one run.
 *
 *   npm run bench:filter [-- --users 1000000] [--dynamo-users 100000] [--queries 1000] [--seed 7]
 *                        [--freshness 200] [--legacy-queries 10] [--in-memory-only] [--only-dynamo] [--no-append]
 *
 * Phase 1, `--users` (default 1M): the engine in process (load, sort orders, memory, the seeded query mix with
 * a slow-query profile), then the same mix over HTTP through the real route handler, with that index planted
 * as the process's audience index. Phase 2, `--dynamo-users` (default 100k, ~2.5 items per user): the same
 * generator in the DynamoDB stand-in (a child process; the database is saved under
 * .data/bench-filter/users-M-seed-S and reused), the index built by getAudienceIndex (Scan rebuild + stream),
 * create/register → visible freshness through the real stream consumer, the mix in process and over HTTP, and
 * the original service's Scan + FilterExpression beside the engine on the same data, as a ratio.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { Session } from "node:inspector";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { createInterface } from "node:readline";
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
    // Kept for old command lines: the DynamoDB phase now runs unless --in-memory-only.
    dynamo: { type: "boolean", default: false },
    "dynamo-users": { type: "string", default: "100000" },
    "only-dynamo": { type: "boolean", default: false },
    freshness: { type: "string", default: "200" },
    "legacy-queries": { type: "string", default: "10" },
    "no-append": { type: "boolean", default: false },
    // V8 CPU profiles of the timed in-process queries only (load and build excluded); PATH and PATH.overlay.
    "cpu-prof": { type: "string" },
  },
});
const N = Number(args.users);
const QUERIES = Number(args.queries);
const SEED = Number(args.seed);
const DYNAMO_USERS = Number(args["dynamo-users"]);
const FRESHNESS = Number(args.freshness);
const LEGACY_QUERIES = Number(args["legacy-queries"]);
const NOW = new Date("2026-11-25T12:00:00.000Z");

// ---- seeded data shaped like production: few big companies, a long tail, power-law counters ----------

/** mulberry32: tiny, fast, seedable; statistical quality is plenty for a benchmark mix. */
let prngState = SEED >>> 0;
/** Each phase reseeds, so its data and queries do not depend on which phases ran before it. */
function reseed(seed: number): void {
  prngState = seed >>> 0;
}
function prng(): () => number {
  return () => {
    prngState = (prngState + 0x6d2b79f5) >>> 0;
    let t = prngState;
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
const rand = prng();
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

/** Plants an index as the process's audience index, so the route handler serves it; returns the undo. */
async function plantAudienceIndex(index: MemoryAudienceIndex): Promise<() => void> {
  const { getEnv } = await import("@/lib/env");
  const env = getEnv();
  const slot = globalThis as unknown as { rallyAudience?: unknown };
  // Same key and shape as lib/audience/get-audience-index.ts keeps; the index is already current.
  slot.rallyAudience = {
    key: `${env.DYNAMODB_ENDPOINT ?? "aws"}|${env.AWS_REGION}|${env.DYNAMODB_TABLE}`,
    index,
    consumer: { stop: async () => {} },
    ready: Promise.resolve(),
  };
  return () => {
    slot.rallyAudience = undefined;
  };
}

type Query = ReturnType<typeof makeQuery>;

/** What the slowest 5% have in common: shape, sort field, result size, and overlap with GC pauses. */
function slowProfile(queries: Query[], times: number[], totals: number[], gcHits: boolean[]): string {
  const order = times.map((_, i) => i).sort((a, b) => times[b]! - times[a]!);
  const slow = order.slice(0, Math.max(1, Math.floor(times.length / 20)));
  const rest = order.slice(slow.length);
  const has = (q: Query, test: (n: FilterNode) => boolean): boolean => {
    const walk = (n: FilterNode): boolean =>
      test(n) ||
      ("all" in n && n.all.some(walk)) ||
      ("any" in n && n.any.some(walk)) ||
      ("not" in n && walk(n.not));
    return walk(q.filter);
  };
  const share = (ids: number[], f: (i: number) => boolean) =>
    `${Math.round((100 * ids.filter(f).length) / Math.max(1, ids.length))}%`;
  const mean = (ids: number[], f: (i: number) => number) =>
    Math.round(ids.reduce((s, i) => s + f(i), 0) / Math.max(1, ids.length)).toLocaleString("en-US");
  const sorts = new Map<string, number>();
  for (const i of slow) {
    const k = `${queries[i]!.sort.field} ${queries[i]!.sort.order}`;
    sorts.set(k, (sorts.get(k) ?? 0) + 1);
  }
  const topSorts = [...sorts].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const q = (i: number) => queries[i]!;
  const prefix = (n: FilterNode) => "q" in n;
  const negated = (n: FilterNode) => "not" in n;
  const ranged = (n: FilterNode) => "field" in n && !("in" in n);
  const either = (n: FilterNode) => "any" in n;
  return [
    `slowest ${slow.length} vs the rest:`,
    `name prefix ${share(slow, (i) => has(q(i), prefix))} vs ${share(rest, (i) => has(q(i), prefix))},`,
    `not ${share(slow, (i) => has(q(i), negated))} vs ${share(rest, (i) => has(q(i), negated))},`,
    `counter range ${share(slow, (i) => has(q(i), ranged))} vs ${share(rest, (i) => has(q(i), ranged))},`,
    `any ${share(slow, (i) => has(q(i), either))} vs ${share(rest, (i) => has(q(i), either))},`,
    `empty result ${share(slow, (i) => totals[i] === 0)} vs ${share(rest, (i) => totals[i] === 0)},`,
    `mean total ${mean(slow, (i) => totals[i]!)} vs ${mean(rest, (i) => totals[i]!)},`,
    `mean conditions ${mean(slow, (i) => q(i).conditions)} vs ${mean(rest, (i) => q(i).conditions)},`,
    `overlapping a GC pause ${share(slow, (i) => gcHits[i]!)} vs ${share(rest, (i) => gcHits[i]!)};`,
    `commonest sorts ${topSorts.map(([k, n]) => `${k} ×${n}`).join(", ")}`,
  ].join(" ");
}

async function inMemory(): Promise<Row[]> {
  reseed(SEED);
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
    const totals: number[] = [];
    const spans: [number, number][] = [];
    const pauses: [number, number][] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) pauses.push([e.startTime, e.startTime + e.duration]);
    });
    observer.observe({ entryTypes: ["gc"] });
    for (const q of queries) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      const page = await index.query({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE, now: NOW });
      const end = performance.now();
      times.push(end - start);
      spans.push([start, end]);
      const used = process.cpuUsage(cpu);
      cpuTimes.push((used.user + used.system) / 1000);
      totals.push(page.total);
    }
    // GC entries are delivered asynchronously.
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    const gcHits = spans.map(([a, b]) => pauses.some(([s, e]) => s < b && e > a));
    const gcMs = pauses.reduce((sum, [s, e]) => sum + e - s, 0);
    return {
      profile: slowProfile(queries, times, totals, gcHits),
      gc: `${pauses.length} pauses, ${gcMs.toFixed(0)} ms in all`,
      times: [...times].sort((a, b) => a - b),
      cpuTimes: cpuTimes.sort((a, b) => a - b),
      meanTotal: totals.reduce((a, b) => a + b, 0) / queries.length,
      empty: totals.filter((t) => t === 0).length,
    };
  };
  const session = args["cpu-prof"] ? new Session() : undefined;
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session!.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  if (session) {
    session.connect();
    await post("Profiler.enable");
    await post("Profiler.start");
  }
  const clean = await run();
  if (session) {
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    writeFileSync(args["cpu-prof"]!, JSON.stringify(profile));
  }

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
  if (session) {
    await post("Profiler.start");
  }
  const dirty = await run();
  if (session) {
    const { profile } = (await post("Profiler.stop")) as { profile: unknown };
    writeFileSync(`${args["cpu-prof"]!}.overlay`, JSON.stringify(profile));
    session.disconnect();
  }

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
    { label: "GC during the timed queries", value: clean.gc },
    { label: "profile of the slow tail", value: clean.profile },
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
  if (apiSecret) {
    // Same index, same mix, through the route handler (auth lookup in the stand-in, zod, JSON) over loopback.
    const unplant = await plantAudienceIndex(index);
    try {
      const http = await httpRun(queries, apiSecret);
      rows.push(
        {
          label: "HTTP POST /api/users/filter (edits in overlay), client wall p50 / p95 / p99",
          value: triple(http.wall),
        },
        { label: "same, inside the handler (auth + parse + query + JSON)", value: triple(http.server) },
      );
    } finally {
      unplant();
    }
  }
  return rows;
}

// ---- phase 2: the real path against the DynamoDB stand-in --------------------------------------------

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
  values: Record<string, { S: string } | { N: string }>;
} {
  const names: Record<string, string> = { "#entity": "entity" };
  const values: Record<string, { S: string } | { N: string }> = { ":user": { S: "User" } };
  const parts = ["#entity = :user"];
  conditions.forEach((c, i) => {
    if (!("field" in c)) throw new Error("legacy queries use flat conditions only");
    names[`#f${i}`] = c.field;
    if ("in" in c) {
      const keys = c.in.map((v, j) => {
        values[`:v${i}_${j}`] = { S: String(v) };
        return `:v${i}_${j}`;
      });
      parts.push(`#f${i} IN (${keys.join(", ")})`);
    } else {
      if (c.gte !== undefined) {
        values[`:lo${i}`] = { N: String(c.gte) };
        parts.push(`#f${i} >= :lo${i}`);
      }
      if (c.lte !== undefined) {
        values[`:hi${i}`] = { N: String(c.lte) };
        parts.push(`#f${i} <= :hi${i}`);
      }
    }
  });
  return { expression: parts.join(" AND "), names, values };
}

/** Flat, exact-case conditions the old service could express. */
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

interface StandIn {
  endpoint: string;
  child: ChildProcess;
}

/** The stand-in runs in its own process, as DynamoDB would be remote: its work must not share our event loop. */
async function startStandIn(dataDir: string): Promise<StandIn> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    join("node_modules", ".bin", "tsx"),
    ["dev/dynamodb/cli.ts", "--data-dir", dataDir, "--ttl-sweep-ms", "3600000"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith("{")) return { endpoint: (JSON.parse(line) as { endpoint: string }).endpoint, child };
  }
  throw new Error("The DynamoDB stand-in exited before it was listening.");
}

async function stopStandIn(standIn: StandIn): Promise<void> {
  if (standIn.child.exitCode !== null) return;
  const exited = once(standIn.child, "exit");
  standIn.child.kill("SIGTERM");
  await exited;
}

type Handler = (request: Request) => Promise<Response>;

/** node:http → the real route handlers (API-key auth included), as the Next server would call them. */
async function startRouteServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const { GET, POST } = await import("@/app/api/users/filter/route");
  const handlers: Record<string, Handler> = {
    GET: (r) => GET(r, { params: Promise.resolve({}) }),
    POST: (r) => POST(r, { params: Promise.resolve({}) }),
  };
  const server = createServer((req, res) => {
    const handler = handlers[req.method ?? ""];
    if (!handler || !req.url?.startsWith("/api/users/filter")) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const started = performance.now();
      handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }))
        .then(async (response) => {
          const out = Buffer.from(await response.arrayBuffer());
          res.writeHead(response.status, {
            ...Object.fromEntries(response.headers),
            "x-server-ms": (performance.now() - started).toFixed(3),
          });
          res.end(out);
        })
        .catch((error: unknown) => {
          console.error(error);
          res.writeHead(500).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sequential POSTs of the tree mix on one kept-alive socket; every reply must be 200 with a total. */
async function httpRun(
  queries: { filter: FilterNode; sort: SortSpec }[],
  secret: string,
): Promise<{ wall: number[]; server: number[] }> {
  const { base, close } = await startRouteServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string) =>
    new Promise<{ status: number; serverMs: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${base}/api/users/filter`,
        {
          method: "POST",
          agent,
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, serverMs: Number(res.headers["x-server-ms"]), text }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  try {
    const bodies = queries.map((q) =>
      JSON.stringify({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE }),
    );
    for (const b of bodies.slice(0, 50)) await post(b);
    const wall: number[] = [];
    const server: number[] = [];
    for (const b of bodies) {
      const start = performance.now();
      const r = await post(b);
      wall.push(performance.now() - start);
      server.push(r.serverMs);
      if (r.status !== 200 || typeof (JSON.parse(r.text) as { total?: unknown }).total !== "number")
        throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    }
    return { wall: wall.sort((a, b) => a - b), server: server.sort((a, b) => a - b) };
  } finally {
    agent.destroy();
    await close();
  }
}

const triple = (sorted: number[]) =>
  `${ms(percentile(sorted, 50))} / ${ms(percentile(sorted, 95))} / ${ms(percentile(sorted, 99))}`;

let standIn: StandIn | undefined;
let apiSecret: string | undefined;

/** Starts the stand-in on the saved database for (M, seed), loading it first if it is not there yet. */
async function prepareDynamo(): Promise<Row[]> {
  const M = DYNAMO_USERS;
  const base = join(".data", "bench-filter", `users-${M}-seed-${SEED}`);
  const marker = join(base, "loaded.json");
  standIn = await startStandIn(join(base, "db"));
  Object.assign(process.env, { DYNAMODB_ENDPOINT: standIn.endpoint, DYNAMODB_TABLE: "rally-bench-filter" });
  const { resetEnvCache } = await import("@/lib/env");
  resetEnvCache();
  const { ensureTable } = await import("@/lib/db/table");
  await ensureTable();
  const { createApiKey } = await import("@/lib/api-keys/create-api-key");
  const { systemCtx } = await import("@/lib/context");
  apiSecret = (
    await createApiKey({ ctx: systemCtx("bench-filter"), input: { name: "bench", scopes: ["read"] } })
  ).secret;

  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, "utf8")) as { items: number; seconds: number };
    return [
      {
        label: "items in the saved database (users, events, host links, registrations)",
        value: `${saved.items.toLocaleString("en-US")}, reused from ${base} (first load took ${saved.seconds.toFixed(0)} s)`,
      },
    ];
  }
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  const { BatchWriteCommand, DynamoDBDocumentClient } = await import("@aws-sdk/lib-dynamodb");
  const { localClientConfig } = await import("@/dev/local-aws");
  const raw = new DynamoDBClient(localClientConfig(standIn.endpoint));
  const doc = DynamoDBDocumentClient.from(raw);
  const table = "rally-bench-filter";
  reseed(SEED);
  const t = performance.now();
  let written = 0;
  const items = tableItems(M);
  // BatchWrite, 25 per request, 4 writers; unprocessed items are resent.
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
      if (written % 50_000 < 25) console.log(`  loaded ${written.toLocaleString("en-US")} items`);
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  const seconds = (performance.now() - t) / 1000;
  raw.destroy();
  writeFileSync(marker, JSON.stringify({ items: written, seconds }));
  return [
    {
      label: "items written (users, events, host links, registrations)",
      value: `${written.toLocaleString("en-US")} in ${seconds.toFixed(1)} s (BatchWrite ×4, ${Math.round(written / seconds)} items/s), saved under ${base}`,
    },
  ];
}

async function waitVisible(count: () => Promise<number>, started: number): Promise<number> {
  for (;;) {
    if ((await count()) > 0) return performance.now() - started;
    if (performance.now() - started > 30_000) throw new Error("not visible after 30 s");
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** The index as the app builds it (getAudienceIndex: Scan rebuild + stream follow), freshness, HTTP, old Scan. */
async function realPath(): Promise<Row[]> {
  const rows: Row[] = [];
  const { getAudienceIndex, stopAudienceIndex } = await import("@/lib/audience/get-audience-index");
  const { createUser } = await import("@/lib/users/create-user");
  const { createEvent } = await import("@/lib/events/create-event");
  const { registerForEvent } = await import("@/lib/events/register");
  const { systemCtx } = await import("@/lib/context");
  const { DynamoDBClient, ScanCommand } = await import("@aws-sdk/client-dynamodb");
  const { unmarshall } = await import("@aws-sdk/util-dynamodb");
  const { localClientConfig } = await import("@/dev/local-aws");
  const ctx = systemCtx("bench-filter");
  try {
    let t = performance.now();
    const index = await getAudienceIndex();
    const rebuildMs = performance.now() - t;
    const stats = index.stats();
    rows.push(
      {
        label: "rebuild through getAudienceIndex (stream position, 4-segment Scan, catch-up)",
        value: `${stats.users.toLocaleString("en-US")} users, ${stats.registrations.toLocaleString("en-US")} registrations in ${(rebuildMs / 1000).toFixed(1)} s = ${Math.round(stats.users / (rebuildMs / 1000)).toLocaleString("en-US")} users/s`,
      },
      // Not a heap delta: phase 1's index is still being collected here, which made that figure meaningless.
      { label: "engine's own estimate (stats().memoryBytes)", value: mb(stats.memoryBytes ?? 0) },
    );

    // Freshness: users created and registered through the verbs, visible in the filter through the stream.
    const run = Date.now().toString(36);
    const owner = await createUser({
      ctx,
      input: { firstName: "Bench", lastName: "Owner", email: `owner-${run}@bench.rally.local` },
    });
    const event = await createEvent({
      ctx,
      input: {
        title: `Freshness ${run}`,
        startAt: new Date(NOW.getTime() + 30 * 86_400_000).toISOString(),
        endAt: new Date(NOW.getTime() + 30 * 86_400_000 + 3_600_000).toISOString(),
        ownerId: owner.id,
      },
    });
    const created: number[] = [];
    const registered: number[] = [];
    let nextSample = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (nextSample < FRESHNESS) {
          const i = nextSample++;
          const company = `Freshness ${run} ${i}`;
          // Writes arrive at random moments, not just after a poll: jitter keeps samples off the poll rhythm.
          await new Promise((r) => setTimeout(r, rand() * 600));
          let start = performance.now();
          const user = await createUser({
            ctx,
            input: {
              firstName: "Fresh",
              lastName: `User${i}`,
              email: `fresh-${run}-${i}@bench.rally.local`,
              company,
            },
          });
          created.push(await waitVisible(() => index.count({ field: "company", in: [company] }), start));
          await new Promise((r) => setTimeout(r, rand() * 600));
          start = performance.now();
          await registerForEvent({ ctx, input: { eventId: event.id, userId: user.id } });
          registered.push(
            await waitVisible(
              () => index.count({ all: [{ registered: event.id }, { field: "company", in: [company] }] }),
              start,
            ),
          );
        }
      }),
    );
    created.sort((a, b) => a - b);
    registered.sort((a, b) => a - b);
    rows.push(
      {
        label: `freshness, createUser → visible in a filter, p50 / p95 / p99 (${FRESHNESS} samples, 4 at a time)`,
        value: triple(created),
      },
      {
        label: `freshness, registerForEvent → visible as registered, p50 / p95 / p99 (${FRESHNESS} samples)`,
        value: triple(registered),
      },
    );

    // The tree mix, in process and over HTTP through the route handler, on the same index.
    reseed(SEED + 1);
    const queries = Array.from({ length: QUERIES }, makeQuery);
    t = performance.now();
    await index.query({
      filter: queries[0]!.filter,
      sort: queries[0]!.sort,
      limit: DEFAULT_PAGE_SIZE,
      now: NOW,
    });
    const firstMs = performance.now() - t;
    for (const q of queries.slice(0, 100))
      await index.query({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE, now: NOW });
    const inProcess: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      await index.query({ filter: q.filter, sort: q.sort, limit: DEFAULT_PAGE_SIZE, now: NOW });
      inProcess.push(performance.now() - s);
    }
    inProcess.sort((a, b) => a - b);
    const http = await httpRun(queries, apiSecret!);
    rows.push(
      { label: "first query after the rebuild (builds its sort order lazily)", value: ms(firstMs) },
      { label: `in process, p50 / p95 / p99 (${QUERIES} queries, same mix)`, value: triple(inProcess) },
      { label: "HTTP POST /api/users/filter, client wall p50 / p95 / p99", value: triple(http.wall) },
      { label: "same, inside the handler (auth + parse + query + JSON)", value: triple(http.server) },
    );

    // The original service's approach on the same data: Scan + FilterExpression over every page.
    const raw = new DynamoDBClient(localClientConfig(standIn!.endpoint));
    const legacy: number[] = [];
    const engine: number[] = [];
    const ratios: number[] = [];
    let agree = 0;
    reseed(SEED + 2);
    const sample = Array.from({ length: LEGACY_QUERIES }, legacyQuery);
    for (const conditions of sample) {
      const f = legacyFilter(conditions);
      const start = performance.now();
      const matches: Record<string, unknown>[] = [];
      let key: Record<string, unknown> | undefined;
      do {
        const page = await raw.send(
          new ScanCommand({
            TableName: "rally-bench-filter",
            FilterExpression: f.expression,
            ExpressionAttributeNames: f.names,
            ExpressionAttributeValues: f.values,
            ExclusiveStartKey: key as never,
          }),
        );
        for (const item of page.Items ?? []) matches.push(unmarshall(item));
        key = page.LastEvaluatedKey;
      } while (key);
      // The old service sorted every match in memory, then sliced the first page.
      matches.sort((a, b) => String(a.lastName).localeCompare(String(b.lastName)));
      const legacyMs = performance.now() - start;
      const e0 = performance.now();
      const page = await index.query({ filter: { all: conditions }, limit: DEFAULT_PAGE_SIZE, now: NOW });
      const engineMs = performance.now() - e0;
      legacy.push(legacyMs);
      engine.push(engineMs);
      ratios.push(legacyMs / engineMs);
      // Freshness users are not in these queries' values, so both sides count the same stored users.
      if (page.total === matches.length) agree++;
    }
    raw.destroy();
    legacy.sort((a, b) => a - b);
    engine.sort((a, b) => a - b);
    ratios.sort((a, b) => a - b);
    rows.push(
      {
        label: `old Scan + FilterExpression over all pages + sort, p50 / max (${LEGACY_QUERIES} flat queries)`,
        value: `${ms(percentile(legacy, 50))} / ${ms(legacy.at(-1)!)}`,
      },
      {
        label: "engine on the same queries, p50 / max",
        value: `${ms(percentile(engine, 50))} / ${ms(engine.at(-1)!)}`,
      },
      {
        label: "speed-up old ÷ engine: ratio of medians; per-query min / median",
        value: `${Math.round(percentile(legacy, 50) / percentile(engine, 50)).toLocaleString("en-US")}× ; ${Math.round(ratios[0]!).toLocaleString("en-US")}× / ${Math.round(percentile(ratios, 50)).toLocaleString("en-US")}×`,
      },
      { label: "same total from both (old is case-sensitive)", value: `${agree} of ${sample.length}` },
    );
    return rows;
  } finally {
    await stopAudienceIndex();
  }
}

const realPathOn = !args["in-memory-only"];

async function main(): Promise<void> {
  const started = new Date();
  const loadAtStart = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  const phases: [string, () => Promise<Row[]>][] = [];
  if (!args["only-dynamo"])
    phases.push([`embedded engine, ${N.toLocaleString("en-US")} users, in process and over HTTP`, inMemory]);
  if (realPathOn) {
    // The stand-in and the API key come first, so phase 1 can go over HTTP too.
    const prepared = await prepareDynamo();
    phases.push([
      `real path on the DynamoDB stand-in, ${DYNAMO_USERS.toLocaleString("en-US")} users`,
      async () => [...prepared, ...(await realPath())],
    ]);
  }
  const sections: string[] = [];
  for (const [name, phase] of phases) {
    console.log(`== ${name}`);
    const rows = await phase();
    for (const r of rows) console.log(`${r.label.padEnd(72)} ${r.value}`);
    sections.push(
      `### ${name}\n\n| measure | value |\n| --- | --- |\n${rows.map((r) => `| ${r.label} | ${r.value} |`).join("\n")}\n`,
    );
  }
  const loadAtEnd = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  if (args["no-append"]) return;
  const cpu = os.cpus();
  const report = `
## bench:filter — ${started.toISOString().slice(0, 16).replace("T", " ")} UTC

Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}; shared with other work (load average 1 / 5 / 15 min: ${loadAtStart} at start, ${loadAtEnd} at the end), so treat single runs as indicative.
Command: \`npm run bench:filter${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` (users ${N}, DynamoDB phase ${realPathOn ? DYNAMO_USERS : "off"}, queries ${QUERIES}, seed ${SEED})

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

try {
  await main();
} finally {
  if (standIn) await stopStandIn(standIn);
}
