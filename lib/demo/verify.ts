import { ScanCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { withRetry } from "@/lib/db/retry";

export interface CounterMismatch {
  entity: "User" | "Event";
  id: string;
  field: string;
  stored: number;
  actual: number;
}

/**
 * Recomputes every counter from the link items with a parallel scan and lists mismatches (empty = exact).
 * For demo data and tests; it reads the whole table.
 */
export async function verifyCounters(segments = 4): Promise<CounterMismatch[]> {
  const hosted = new Map<string, number>();
  const attended = new Map<string, number>();
  const registered = new Map<string, number>();
  const users: Array<Record<string, unknown>> = [];
  const events: Array<Record<string, unknown>> = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await withRetry(() =>
          getDb().send(
            new ScanCommand({
              TableName: tableName(),
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey: start,
            }),
          ),
        );
        for (const item of out.Items ?? []) {
          if (item.entity === "User") users.push(item);
          else if (item.entity === "Event") events.push(item);
          else if (item.entity === "HostLink") bump(hosted, item.userId as string);
          else if (item.entity === "Registration") {
            bump(attended, item.userId as string);
            bump(registered, item.eventId as string);
          }
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }),
  );
  const mismatches: CounterMismatch[] = [];
  const check = (entity: "User" | "Event", item: Record<string, unknown>, field: string, actual: number) => {
    const stored = Number(item[field] ?? 0);
    if (stored !== actual) mismatches.push({ entity, id: item.id as string, field, stored, actual });
  };
  for (const u of users) {
    check("User", u, "hostedEventCount", hosted.get(u.id as string) ?? 0);
    check("User", u, "attendedEventCount", attended.get(u.id as string) ?? 0);
  }
  for (const e of events) check("Event", e, "registeredCount", registered.get(e.id as string) ?? 0);
  return mismatches;
}
