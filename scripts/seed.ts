/**
 * `npm run seed [-- --users 10000 --events 100 --verify]`: seeds demo data into the table at
 * DYNAMODB_ENDPOINT (or starts an in-memory stand-in when none is set, to try it out), once per table.
 */
import { parseArgs } from "node:util";

import { startLocalAws } from "@/dev/local-aws";
import { ensureTable } from "@/lib/db/table";
import { ensureDemoApiKey, seedDemo } from "@/lib/demo/seed";
import { verifyCounters } from "@/lib/demo/verify";
import { resetEnvCache } from "@/lib/env";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "10000" },
    events: { type: "string", default: "100" },
    verify: { type: "boolean", default: false },
  },
});

const ownStandIn = process.env.DYNAMODB_ENDPOINT ? undefined : await startLocalAws();
if (ownStandIn) {
  process.env.DYNAMODB_ENDPOINT = ownStandIn.dynamoEndpoint;
  process.env.SES_ENDPOINT = ownStandIn.sesEndpoint;
  resetEnvCache();
  console.log(`No DYNAMODB_ENDPOINT: using a throwaway in-memory stand-in at ${ownStandIn.dynamoEndpoint}`);
}
try {
  await ensureTable();
  const result = await seedDemo({ users: Number(values.users), events: Number(values.events) });
  console.log(
    result.skipped
      ? `Already seeded (${result.users} users, ${result.events} events, ${result.registrations} registrations); nothing to do.`
      : `Seeded ${result.users} users, ${result.events} events, ${result.registrations} registrations (${result.items} items) in ${(result.ms / 1000).toFixed(1)} s.`,
  );
  if (values.verify) {
    const mismatches = await verifyCounters();
    console.log(
      mismatches.length === 0
        ? "Counters verified: all exact."
        : `Counter mismatches: ${JSON.stringify(mismatches.slice(0, 10))}`,
    );
    if (mismatches.length > 0) process.exitCode = 1;
  }
  console.log(`Demo API key: ${await ensureDemoApiKey()}`);
} finally {
  await ownStandIn?.stop();
}
