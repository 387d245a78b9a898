import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { verifyCounters } from "@/lib/demo/verify";
import { DomainError } from "@/lib/errors";
import { deleteEvent } from "@/lib/events/delete-event";
import { cancelRegistration, registerForEvent } from "@/lib/events/register";
import { type Event } from "@/lib/events/schemas";
import { updateEvent } from "@/lib/events/update-event";
import { deleteUser } from "@/lib/users/delete-user";
import { type User } from "@/lib/users/schemas";
import { makeEvent, makeUser } from "@/test/factories";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();

type Op =
  | { kind: "register" | "cancel"; event: number; user: number }
  | { kind: "hosts"; event: number; users: number[] }
  | { kind: "deleteEvent"; event: number }
  | { kind: "deleteUser"; user: number };

const N_USERS = 6;
const N_EVENTS = 3;
const user = fc.integer({ min: 0, max: N_USERS - 1 });
const event = fc.integer({ min: 0, max: N_EVENTS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("register" as const), event, user }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), event, user }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("hosts" as const),
      event,
      users: fc.uniqueArray(user, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteEvent" as const), event }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteUser" as const), user }) },
);

describe("counters under any sequence of writes", { timeout: 300_000 }, () => {
  it("stay exact after random register/cancel/host-change/delete sequences (some run concurrently)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 10 }),
        async (rounds) => {
          const users: User[] = [];
          for (let i = 0; i < N_USERS; i++) users.push(await makeUser(fx.ctx));
          const events: Event[] = [];
          for (let i = 0; i < N_EVENTS; i++) {
            events.push(
              await makeEvent(fx.ctx, users[i]!.id, {
                maxCapacity: 3,
                hostIds: [users[(i + 1) % N_USERS]!.id],
              }),
            );
          }
          const run = async (o: Op) => {
            const ctx = fx.ctx;
            if (o.kind === "register")
              await registerForEvent({
                ctx,
                input: { eventId: events[o.event]!.id, userId: users[o.user]!.id },
              });
            if (o.kind === "cancel")
              await cancelRegistration({
                ctx,
                input: { eventId: events[o.event]!.id, userId: users[o.user]!.id },
              });
            if (o.kind === "hosts") {
              await updateEvent({
                ctx,
                input: { id: events[o.event]!.id, changes: { hostIds: o.users.map((u) => users[u]!.id) } },
              });
            }
            if (o.kind === "deleteEvent") await deleteEvent({ ctx, input: { id: events[o.event]!.id } });
            if (o.kind === "deleteUser") await deleteUser({ ctx, input: { id: users[o.user]!.id } });
          };
          for (const round of rounds) {
            const outcomes = await Promise.allSettled(round.map(run));
            for (const outcome of outcomes) {
              // Refusals (404, 409, …) are expected answers; anything else is a bug.
              if (outcome.status === "rejected" && !(outcome.reason instanceof DomainError))
                throw outcome.reason;
              if (outcome.status === "rejected" && (outcome.reason as DomainError).code === "unavailable")
                throw outcome.reason;
            }
          }
          expect(await verifyCounters()).toEqual([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
