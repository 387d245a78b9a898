/**
 * `npm run bench:register`: registrations per second and latency through the domain verb
 * (registerForEvent → repository → TransactWriteItems), against its own in-memory stand-in.
 * Appends a dated section to docs/benchmarks.md. Runs with --conditions=react-server so the verb's
 * "server-only" guard resolves to its no-op build.
 */
import { appendFile } from "node:fs/promises";
import os from "node:os";

import { startLocalAws } from "@/dev/local-aws";
import { systemCtx } from "@/lib/context";
import { insertEvent } from "@/lib/db/events-repo";
import { insertRegistration } from "@/lib/db/registrations-repo";
import { retryStats } from "@/lib/db/retry";
import { ensureTable } from "@/lib/db/table";
import { generateDemoData } from "@/lib/demo/generate";
import { seedDemo } from "@/lib/demo/seed";
import { resetEnvCache } from "@/lib/env";
import { registerForEvent } from "@/lib/events/register";
import { type Event } from "@/lib/events/schemas";

const ctx = systemCtx("bench-register");

interface Result {
  name: string;
  ops: number;
  ok: number;
  refused: number;
  unavailable: number;
  seconds: number;
  latencies: number[];
  retries: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function timed(
  name: string,
  jobs: Array<() => Promise<unknown>>,
  concurrency: number,
): Promise<Result> {
  const latencies: number[] = [];
  let ok = 0;
  let refused = 0;
  let unavailable = 0;
  let next = 0;
  const retriesBefore = retryStats.retries;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const t = performance.now();
        try {
          await job();
          ok++;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code === "unavailable") unavailable++;
          else if (code === "event_full" || code === "already_registered") refused++;
          else throw error;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name,
    ops: jobs.length,
    ok,
    refused,
    unavailable,
    seconds,
    latencies: latencies.sort((a, b) => a - b),
    retries: retryStats.retries - retriesBefore,
  };
}

function newEvent(i: number, ownerId: string, maxCapacity: number | null): Event {
  const now = new Date().toISOString();
  return {
    id: `bench-event-${i}`,
    slug: `bench-event-${i}`,
    title: `Bench ${i}`,
    description: null,
    startAt: "2027-06-01T18:00:00.000Z",
    endAt: "2027-06-01T20:00:00.000Z",
    timeZone: "UTC",
    venue: null,
    maxCapacity,
    ownerId,
    hostIds: [],
    registeredCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

const aws = await startLocalAws();
process.env.DYNAMODB_ENDPOINT = aws.dynamoEndpoint;
process.env.SES_ENDPOINT = aws.sesEndpoint;
process.env.DYNAMODB_TABLE = "rally-bench";
resetEnvCache();
const load = os.loadavg()[0]!.toFixed(1);
const results: Result[] = [];
try {
  await ensureTable();
  // Users come from the demo generator (same ids as seedDemo writes), so setup is one fast BatchWrite.
  const USERS = 3000;
  await seedDemo({ users: USERS, events: 0 });
  const users = generateDemoData({ users: USERS, events: 0 }).users;
  const owner = users[0]!;

  // Uncontended: 60 events, each user registers for one event; 16 concurrent clients.
  const EVENTS = 60;
  for (let i = 0; i < EVENTS; i++) await insertEvent(newEvent(i, owner.id, null));
  const spread = users
    .slice(1, 2401)
    .map(
      (u, i) => () =>
        registerForEvent({ ctx, input: { eventId: `bench-event-${i % EVENTS}`, userId: u.id } }),
    );
  results.push(await timed("uncontended: 2,400 registrations over 60 events, 16 clients", spread, 16));

  // Baseline for the same load: the repository's transaction alone (no verb parsing, no analytics hook).
  for (let i = 0; i < EVENTS; i++) await insertEvent(newEvent(500 + i, owner.id, null));
  const raw = users.slice(1, 2401).map(
    (u, i) => () =>
      insertRegistration({
        eventId: `bench-event-${500 + (i % EVENTS)}`,
        userId: u.id,
        registeredAt: new Date().toISOString(),
        source: "api",
      }),
  );
  results.push(await timed("baseline: same, repository transaction only (no verb)", raw, 16));

  // Contended: 200 clients at once on one event (capacity 150, so the tail is refused as full), 4 rounds.
  const rounds = 4;
  const jobs: Array<() => Promise<unknown>> = [];
  for (let r = 0; r < rounds; r++) {
    const event = newEvent(1000 + r, owner.id, 150);
    await insertEvent(event);
    for (const u of users.slice(1 + r * 200, 201 + r * 200)) {
      jobs.push(() => registerForEvent({ ctx, input: { eventId: event.id, userId: u.id } }));
    }
  }
  const contended: Result[] = [];
  for (let r = 0; r < rounds; r++) {
    contended.push(await timed(`round ${r}`, jobs.slice(r * 200, (r + 1) * 200), 200));
  }
  results.push({
    name: `contended: 200 clients at once on one event (capacity 150), ${rounds} rounds`,
    ops: contended.reduce((s, r) => s + r.ops, 0),
    ok: contended.reduce((s, r) => s + r.ok, 0),
    refused: contended.reduce((s, r) => s + r.refused, 0),
    unavailable: contended.reduce((s, r) => s + r.unavailable, 0),
    seconds: contended.reduce((s, r) => s + r.seconds, 0),
    latencies: contended.flatMap((r) => r.latencies).sort((a, b) => a - b),
    retries: contended.reduce((s, r) => s + r.retries, 0),
  });
} finally {
  await aws.stop();
}

const rows = results.map((r) => {
  const l = r.latencies;
  return `| ${r.name} | ${Math.round(r.ops / r.seconds).toLocaleString("en-US")}/s | ${r.ok} / ${r.refused} / ${r.unavailable} | ${pct(l, 50).toFixed(1)} | ${pct(l, 95).toFixed(1)} | ${pct(l, 99).toFixed(1)} | ${r.retries} |`;
});
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const section = `
## Registration (domain verb) — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC

${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${load} at start (the machine is shared). Stand-in in memory, **in the bench process**; each registration is \`registerForEvent\` → one 3-item TransactWriteItems (event counter with capacity condition, user counter, registration put), measured end to end including our retries and whatever the verb adds (today: click-token attribution and the analytics counter write); the baseline row runs only the repository transaction (\`npm run bench:register\`). Setup uses BatchWrite and is not timed.

| Scenario | Throughput | 201 / 409 / 503 | p50 ms | p95 ms | p99 ms | retries |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
console.log(section);
await appendFile("docs/benchmarks.md", section);
