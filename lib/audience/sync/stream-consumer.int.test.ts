import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { describe, expect, it } from "vitest";

import { localClientConfig } from "@/dev/local-aws";
import { MemoryAudienceIndex } from "@/lib/audience/engine/memory-audience-index";
import type { AudienceIndex } from "@/lib/audience/port";
import { ReferenceAudienceIndex } from "@/lib/audience/reference";
import type { FilterTree } from "@/lib/audience/schemas";
import {
  AudienceStreamConsumer,
  memoryCheckpointStore,
  scanChanges,
} from "@/lib/audience/sync/stream-consumer";
import { getRawDb, tableName } from "@/lib/db/client";
import { createEvent } from "@/lib/events/create-event";
import { cancelRegistration, registerForEvent } from "@/lib/events/register";
import { deleteUser } from "@/lib/users/delete-user";
import { updateUser } from "@/lib/users/update-user";
import { makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();
const NOW = new Date("2026-11-25T12:00:00Z");

function streams() {
  return new DynamoDBStreamsClient(localClientConfig(fx.aws.dynamoEndpoint));
}

/** The index must answer exactly like a reference rebuilt from a fresh Scan of the table. */
async function expectMatchesTable(index: AudienceIndex, filters: FilterTree[]) {
  const truth = new ReferenceAudienceIndex();
  await truth.rebuild(scanChanges(getRawDb(), tableName(), 2));
  for (const filter of filters) {
    const q = { filter, sort: { field: "email" as const, order: "asc" as const }, limit: 500, now: NOW };
    expect(await index.query(q)).toEqual(await truth.query(q));
  }
}

describe("AudienceStreamConsumer against the DynamoDB stand-in", () => {
  it("rebuilds from a Scan, loses no write made around the Scan, follows the stream and resumes", async () => {
    const ctx = fx.ctx;
    const ann = await makeUser(ctx, { firstName: "Ann", company: "Acme" });
    const bob = await makeUser(ctx, { firstName: "Bob", company: "Globex" });
    const meetup = await createEvent({
      ctx,
      input: {
        title: "Meetup",
        startAt: "2026-10-01T18:00:00Z",
        endAt: "2026-10-01T21:00:00Z",
        ownerId: ann.id,
      },
    });
    const next = await createEvent({
      ctx,
      input: {
        title: "Next",
        startAt: "2027-01-10T18:00:00Z",
        endAt: "2027-01-10T21:00:00Z",
        ownerId: bob.id,
      },
    });
    await registerForEvent({ ctx, input: { eventId: meetup.id, userId: bob.id } });

    const index = new MemoryAudienceIndex();
    const checkpoints = memoryCheckpointStore();
    let carolId = "";
    const consumer = new AudienceStreamConsumer({
      index,
      db: getRawDb(),
      streams: streams(),
      tableName: tableName(),
      checkpoints,
      scanSegments: 3,
      hooks: {
        // After the position, before the Scan: seen by both; the replay must be harmless.
        afterPosition: async () => {
          carolId = (await makeUser(ctx, { firstName: "Carol", company: "acme " })).id;
        },
        // After the Scan: only the stream has these; a position taken after the Scan would lose them.
        afterScan: async () => {
          await updateUser({ ctx, input: { id: bob.id, changes: { company: "ACME" } } });
          await registerForEvent({ ctx, input: { eventId: meetup.id, userId: carolId } });
        },
      },
    });
    expect(await consumer.start()).toMatchObject({ rebuilt: true, users: 3 });

    const filters: FilterTree[] = [
      { all: [] },
      { field: "company", in: ["Acme"] },
      { attended: meetup.id },
      { all: [{ attended: meetup.id }, { not: { registered: next.id } }] },
      { hosted: next.id },
      { field: "attendedEventCount", gte: 1 },
    ];
    await expectMatchesTable(index, filters);
    expect(await index.count({ field: "company", in: ["acme"] }, NOW)).toBe(3);
    expect(await index.count({ attended: meetup.id }, NOW)).toBe(2);
    expect(Object.keys(checkpoints.current?.shards ?? {})).toHaveLength(1);

    // Following: cancellations, new registrations and a deleted user arrive through the stream.
    await cancelRegistration({ ctx, input: { eventId: meetup.id, userId: bob.id } });
    await registerForEvent({ ctx, input: { eventId: next.id, userId: carolId } });
    await deleteUser({ ctx, input: { id: carolId } });
    while ((await consumer.pollOnce()) > 0);
    await expectMatchesTable(index, filters);
    expect(await index.count({ all: [] }, NOW)).toBe(2);

    // A consumer restarted on the same (non-empty) index resumes after the checkpoint instead of rebuilding.
    const before = checkpoints.current!;
    const resumed = new AudienceStreamConsumer({
      index,
      db: getRawDb(),
      streams: streams(),
      tableName: tableName(),
      checkpoints,
    });
    await updateUser({ ctx, input: { id: ann.id, changes: { city: "Berlin" } } });
    expect(await resumed.start()).toMatchObject({ rebuilt: false, users: 2 });
    expect(await index.count({ field: "city", in: ["berlin"] }, NOW)).toBe(1);
    expect(checkpoints.current!.shards).not.toEqual(before.shards);
    await expectMatchesTable(index, filters);
  });

  it("refuses a table without a stream", async () => {
    const consumer = new AudienceStreamConsumer({
      index: new MemoryAudienceIndex(),
      db: getRawDb(),
      streams: streams(),
      tableName: "no-such-table",
    });
    await expect(consumer.start()).rejects.toThrow();
  });
});
