import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

import { putAll } from "@/lib/db/batch";
import { getDb, tableName } from "@/lib/db/client";
import { eventItem, hostLinkItem, distinctHosts, slugGuardItem } from "@/lib/db/events-repo";
import { seedMarkerKey } from "@/lib/db/keys";
import { registrationItem } from "@/lib/db/registrations-repo";
import { withRetry } from "@/lib/db/retry";
import { emailGuardItem, userItem } from "@/lib/db/users-repo";
import { generateDemoData } from "@/lib/demo/generate";

// No "server-only": scripts/seed.ts and scripts/stack.ts run this under tsx.

export { ensureDemoApiKey } from "@/lib/demo/demo-api-key";

export const SEED_VERSION = "v1";
const WRITERS = 6;

export interface SeedResult {
  skipped: boolean;
  users: number;
  events: number;
  registrations: number;
  items: number;
  ms: number;
}

/** Writes items with a few parallel BatchWrite streams. */
function writeAll(items: Record<string, unknown>[]): Promise<void> {
  return putAll(items, WRITERS);
}

/**
 * Seeds deterministic demo data (users, events with hosts, registrations, exact counters) once per table.
 * A marker item (PK META#seed, SK v1) makes re-runs no-ops; it is written last, so a crashed run is
 * simply repeated and overwrites identical items.
 */
export async function seedDemo(opts: { users: number; events: number; seed?: number }): Promise<SeedResult> {
  const started = performance.now();
  const marker = await withRetry(() =>
    getDb().send(
      new GetCommand({ TableName: tableName(), Key: seedMarkerKey(SEED_VERSION), ConsistentRead: true }),
    ),
  );
  if (marker.Item) {
    return {
      skipped: true,
      users: Number(marker.Item.users),
      events: Number(marker.Item.events),
      registrations: Number(marker.Item.registrations),
      items: 0,
      ms: Math.round(performance.now() - started),
    };
  }
  const data = generateDemoData(opts);
  const items: Record<string, unknown>[] = [];
  for (const user of data.users) items.push(userItem(user), emailGuardItem(user.email, user.id));
  for (const event of data.events) {
    items.push(eventItem(event), slugGuardItem(event.slug, event.id));
    for (const userId of distinctHosts(event.ownerId, event.hostIds)) {
      const role = userId === event.ownerId ? "owner" : "cohost";
      items.push(hostLinkItem({ eventId: event.id, userId, role }, event.startAt));
    }
  }
  for (const reg of data.registrations) items.push(registrationItem(reg));
  await writeAll(items);
  await withRetry(() =>
    getDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...seedMarkerKey(SEED_VERSION),
          entity: "SeedMarker",
          users: data.users.length,
          events: data.events.length,
          registrations: data.registrations.length,
          seededAt: new Date().toISOString(),
        },
      }),
    ),
  );
  return {
    skipped: false,
    users: data.users.length,
    events: data.events.length,
    registrations: data.registrations.length,
    items: items.length,
    ms: Math.round(performance.now() - started),
  };
}
