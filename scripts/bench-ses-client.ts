/**
 * bench:ses-client — client-side CPU of one 50-entry SendBulkEmail (a campaign batch: per-entry slot values
 * from renderBatch, List-Unsubscribe header, tags) through the app's SESv2 client (createSesClient: JSON.stringify
 * codec, cached middleware stack) and through an SDK client with default settings. The answer comes from a
 * canned HTTP server on 127.0.0.1 in this process, so both figures include the same small server cost; the
 * difference is the client's. Rounds alternate between the clients; the best round of each is reported.
 * Appends a table to docs/benchmarks.md.
 * Usage: npm run bench:ses-client -- [calls per round=600] [--dry (print only)]
 */
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { cpus, loadavg, totalmem } from "node:os";

import { SendBulkEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";

import { localClientConfig } from "@/dev/local-aws";
import { messageTags } from "@/lib/campaigns/fanout";
import { renderBatch } from "@/lib/campaigns/template";
import { createSesClient } from "@/lib/email/ses-mailer";
import { type Env } from "@/lib/env";

const args = process.argv.slice(2);
const callsPerRound = Number(args.find((a) => /^\d+$/.test(a)) ?? 600);
const ROUNDS = 10;
const IN_FLIGHT = 4;

const answer = JSON.stringify({
  BulkEmailEntryResults: Array.from({ length: 50 }, (_, i) => ({ Status: "SUCCESS", MessageId: `m-${i}` })),
});

function batchInput(b: number) {
  const recipients = Array.from({ length: 50 }, (_, i) => {
    const n = b * 50 + i;
    return { id: `u${String(n).padStart(7, "0")}`, email: `bench.${n}@example.com`, firstName: `F${n}` };
  });
  const rendered = renderBatch({
    subject: "Hello {{firstName|there}}",
    body: "Hi {{firstName}},\n\nAgenda: https://events.test/agenda\n\n[Register](https://events.test/r)",
    campaignId: "bench-c",
    utm: { source: "rally", medium: "email", campaign: "bench-c" },
    appUrl: "http://localhost:3000",
    secret: "bench-secret-0123456789abcdef0123456789",
    recipients,
  });
  return {
    FromEmailAddress: "rally@example.com",
    DefaultContent: {
      Template: {
        TemplateName: "rally-m-bench",
        TemplateData: "{}",
        Headers: [{ Name: "List-Unsubscribe-Post", Value: "List-Unsubscribe=One-Click" }],
      },
    },
    BulkEmailEntries: rendered.map((m, i) => ({
      Destination: { ToAddresses: [recipients[i]!.email] },
      ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(m.values) } },
      ReplacementHeaders: [{ Name: "List-Unsubscribe", Value: `<${m.unsubscribeUrl}>` }],
      ReplacementTags: messageTags("bench-c", recipients[i]!.id).map((t) => ({
        Name: t.name,
        Value: t.value,
      })),
    })),
  };
}

/** CPU ms per call of this process for one round of `callsPerRound` calls, IN_FLIGHT at a time. */
async function round(client: SESv2Client, inputs: ReturnType<typeof batchInput>[]): Promise<number> {
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < callsPerRound; i = next++) {
        await client.send(new SendBulkEmailCommand(inputs[i % inputs.length]!));
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / callsPerRound;
}

async function main() {
  const loadBefore = loadavg()[0]!.toFixed(1);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = {
    "SDK defaults": new SESv2Client({ ...localClientConfig(endpoint), maxAttempts: 1 }),
    "createSesClient (the app's)": createSesClient({ AWS_REGION: "local", SES_ENDPOINT: endpoint } as Env),
  };
  // Inputs are built once, outside the measured rounds: only the client's work is compared.
  const inputs = Array.from({ length: 40 }, (_, b) => batchInput(b));
  const best = new Map<string, number>();
  const all = new Map<string, number[]>();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, client] of Object.entries(clients)) {
      const ms = await round(client, inputs);
      if (r === 0) continue; // warm-up
      best.set(name, Math.min(best.get(name) ?? Infinity, ms));
      all.set(name, [...(all.get(name) ?? []), ms]);
    }
  }
  for (const client of Object.values(clients)) client.destroy();
  server.close();

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rows = [...best].map(
    ([name, ms]) => `| ${name} | ${ms.toFixed(3)} ms | ${median(all.get(name)!).toFixed(3)} ms |`,
  );
  const cpu = cpus();
  const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
  const out =
    `\n## SESv2 client CPU per SendBulkEmail (bench:ses-client) — ${stamp} UTC\n\n` +
    `${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ` +
    `1-min load average ${loadBefore} before / ${loadavg()[0]!.toFixed(1)} after. One 50-entry campaign batch per call, ` +
    `${IN_FLIGHT} in flight, ${callsPerRound} calls per round, ${ROUNDS - 1} measured rounds alternating between the clients; ` +
    `CPU of this process (client + a canned answer from a local server).\n\n` +
    `| Client | CPU per call, best round | median round |\n| --- | --- | --- |\n${rows.join("\n")}\n`;
  console.log(out);
  if (!args.includes("--dry")) appendFileSync("docs/benchmarks.md", out);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
