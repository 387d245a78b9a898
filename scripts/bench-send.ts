/**
 * bench:send — one campaign of N recipients (default 100,000) end to end: freeze into the DynamoDB stand-in,
 * outbox → relay → the standalone runner process (scripts/campaign-runner.ts, the in-process executor) →
 * SendBulkEmail to the SES emulator at unlimited rate. Reports emails/s, duplicates in the SES store, the
 * runner's peak RSS; then the same with the runner SIGKILLed halfway and restarted (unknown count).
 * Appends a table to docs/benchmarks.md.
 * Usage: npm run bench:send -- [N=100000] [--parallel=2] [--per-claim=2] [--per-step=48] [--no-analytics] [--dry (print only)]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

import { startLocalAws } from "@/dev/local-aws";
import { type ProgressCounts } from "@/lib/campaigns/recipient-store";
import { createCampaignRecord, freezeRecipients, startCampaignSend } from "@/lib/db/campaigns-repo";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { ensureTable } from "@/lib/db/table";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { resetEnvCache } from "@/lib/env";

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
// Analytics rollups are written with the recipient chunks, as in the app; --no-analytics leaves them out.
const analytics = !args.includes("--no-analytics");
const LEASE_MS = 3_000;
// 2 workers × 2 batches per claim: 200 recipients in flight (the `unknown` bound after a crash). On 2 cores this
// beat 3 × 2 and 4 × 1: fewer, larger chunk writes cost less CPU, and CPU, not waiting, bounds the rate here.
const PARALLEL = Number(args.find((a) => a.startsWith("--parallel="))?.slice(11) ?? 2);
const PER_CLAIM = Number(args.find((a) => a.startsWith("--per-claim="))?.slice(12) ?? 2);
// 48 batches per step: the per-step reads (campaign, pending page, suppression top-up) spread over 2,400
// recipients.
const PER_STEP = Number(args.find((a) => a.startsWith("--per-step="))?.slice(11) ?? 48);

function runner(log: string[]): ChildProcess {
  // BENCH_RUNNER_NODE_ARGS="--cpu-prof" profiles the runner too.
  const extra = process.env.BENCH_RUNNER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, "--import", "tsx", "scripts/campaign-runner.ts"], {
    env: {
      ...process.env,
      RUNNER_SEND_RATE: "unlimited",
      RUNNER_LEASE_MS: String(LEASE_MS),
      RUNNER_ANALYTICS: analytics ? "on" : "off",
      RUNNER_PARALLEL_BATCHES: String(PARALLEL),
      RUNNER_BATCHES_PER_STEP: String(PER_STEP),
      RUNNER_BATCHES_PER_CLAIM: String(PER_CLAIM),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** CPU of the runner (finished processes only) plus this process (stand-in + emulator) over the send. */
function runnerCpuMs(log: string[]): number {
  return [...log.join("").matchAll(/cpu (\d+) ms/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** The runner's own fan-out time (relay → idle, without process start-up); summed over restarts. */
function fanoutMs(log: string[]): number {
  return [...log.join("").matchAll(/fan-out (\d+) ms/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

function peakRss(log: string[]): number {
  const all = [...log.join("").matchAll(/peak RSS (\d+) MiB/g)].map((m) => Number(m[1]));
  return Math.max(0, ...all);
}

async function prepare(id: string): Promise<number> {
  await createCampaignRecord({
    id,
    name: `Bench ${id}`,
    subject: "Hello {{firstName|there}}",
    body: "Hi {{firstName}},\n\nAgenda: https://events.test/agenda\n\n[Register](https://events.test/r)",
    utm: { source: "rally", medium: "email", campaign: id },
    createdAt: new Date().toISOString(),
  });
  const t0 = performance.now();
  await freezeRecipients(
    id,
    Array.from({ length: n }, (_, i) => ({
      recipientId: `u${String(i).padStart(7, "0")}`,
      email: `${id}.${i}@example.com`,
      firstName: `F${i}`,
    })),
  );
  const freezeS = (performance.now() - t0) / 1000;
  await startCampaignSend(id, `ob-${id}`);
  return freezeS;
}

interface Row {
  scenario: string;
  freezeS: number;
  sendS: number;
  emails: number;
  duplicates: number;
  progress: ProgressCounts;
  /** Runner start → exit minus process start-up; NaN when a kill makes it meaningless. */
  fanoutS: number;
  rssMiB: number;
  /** CPU ms per 1,000 emails of the runner and of the stand-in/emulator process; load-independent, unlike emails/s. */
  runnerCpuPer1k: number;
  awsCpuPer1k: number;
}

async function verify(endpoint: string, id: string) {
  const emails = await sesStoreReader(endpoint).emails();
  const to = emails.map((e) => e.destination.to[0]!).filter((a) => a.startsWith(`${id}.`));
  const duplicates = to.length - new Set(to).size;
  const store = new DynamoRecipientStore();
  const progress = await store.progress(id);
  if (progress.unknown > 0) {
    const sample = await store.listRecipients(id, { status: "unknown", limit: 5 });
    console.log(`unknown reasons (sample): ${[...new Set(sample.items.map((r) => r.reason))].join("; ")}`);
  }
  return { emails: to.length, duplicates, progress };
}

async function main() {
  const loadBefore = loadavg()[0]!.toFixed(1);
  const started = Date.now();
  const aws = await startLocalAws();
  process.env.DYNAMODB_ENDPOINT = aws.dynamoEndpoint;
  process.env.SES_ENDPOINT = aws.sesEndpoint;
  process.env.DYNAMODB_TABLE = "rally-bench-send";
  resetEnvCache();
  await ensureTable();
  const ses = sesStoreReader(aws.sesEndpoint);
  const rows: Row[] = [];

  // 1. Uninterrupted.
  {
    const id = "send-clean";
    const freezeS = await prepare(id);
    const log: string[] = [];
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const code = await exited(runner(log));
    const sendS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (code !== 0) throw new Error(`runner failed:\n${log.join("").slice(-3000)}`);
    rows.push({
      scenario: "uninterrupted",
      freezeS,
      sendS,
      fanoutS: fanoutMs(log) / 1000,
      rssMiB: peakRss(log),
      runnerCpuPer1k: Math.round((runnerCpuMs(log) / n) * 1000),
      awsCpuPer1k: Math.round(((cpu.user + cpu.system) / 1000 / n) * 1000),
      ...(await verify(aws.sesEndpoint, id)),
    });
    console.log(rows.at(-1));
    await ses.clear();
  }

  // 2. SIGKILL halfway (by time, from the first run), restart; the restart waits out the dead leases.
  {
    const id = "send-kill";
    const freezeS = await prepare(id);
    const log: string[] = [];
    const t0 = performance.now();
    const first = runner(log);
    await new Promise((r) => setTimeout(r, (rows[0]!.sendS * 1000) / 2));
    first.kill("SIGKILL");
    await exited(first);
    const code = await exited(runner(log));
    const sendS = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`runner failed:\n${log.join("").slice(-3000)}`);
    rows.push({
      scenario: "SIGKILL at ~50 % + restart",
      freezeS,
      sendS,
      fanoutS: Number.NaN,
      rssMiB: peakRss(log),
      runnerCpuPer1k: Number.NaN,
      awsCpuPer1k: Number.NaN,
      ...(await verify(aws.sesEndpoint, id)),
    });
    console.log(rows.at(-1));
  }
  await aws.stop();

  const cpu = cpus();
  const note =
    `${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ` +
    `1-min load average ${loadBefore} before / ${loadavg()[0]!.toFixed(1)} after (machine shared with other engineers). ` +
    `DynamoDB stand-in + SES emulator in the bench process, the runner (scripts/campaign-runner.ts) in a child process; ` +
    `send rate unlimited, ${PARALLEL} workers × ${PER_CLAIM} batches of 50 per claim in flight (${PER_STEP} batches per step), lease ${LEASE_MS / 1000} s, analytics rollups ${analytics ? "on" : "off"}. Send time = runner start → exit ` +
    `(process start-up, relay, fan-out, final lease sweep); fan-out = the runner's own relay → idle time. Run took ${Math.round((Date.now() - started) / 1000)} s.`;
  const table = rows
    .map((r) => {
      const p = r.progress;
      const fanout = Number.isNaN(r.fanoutS)
        ? "—"
        : `${r.fanoutS.toFixed(1)} s = ${Math.round(r.emails / r.fanoutS).toLocaleString("en-US")}/s`;
      const cpu = Number.isNaN(r.runnerCpuPer1k) ? "—" : `${r.runnerCpuPer1k} + ${r.awsCpuPer1k} ms`;
      return `| ${r.scenario} | ${n.toLocaleString("en-US")} | ${r.freezeS.toFixed(1)} s | ${r.sendS.toFixed(1)} s | ${Math.round(r.emails / r.sendS).toLocaleString("en-US")}/s | ${fanout} | ${r.emails.toLocaleString("en-US")} | ${r.duplicates} | ${p.sent} / ${p.unknown} / ${p.failed} / ${p.pending + p.sending} | ${r.rssMiB} MiB | ${cpu} |`;
    })
    .join("\n");
  const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
  const out = `\n## Campaign send end to end (bench:send) — ${stamp} UTC\n\n${note}\n\n| Scenario | Recipients | Freeze | Send (process start → exit) | Emails/s | Fan-out (relay → idle) | Emails in SES store | Duplicates | sent / unknown / failed / left | Runner peak RSS | CPU per 1k emails (runner + stand-ins) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n${table}\n`;
  console.log(out);
  if (!args.includes("--dry")) appendFileSync("docs/benchmarks.md", out);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
