import { countersFor, dimsOf, uniqueKind } from "@/lib/analytics/rollup";
import { markRollupsDirty } from "@/lib/analytics/rollup-store";
import { MessageEventInput } from "@/lib/analytics/schemas";
import { dayKey, hourOfDay } from "@/lib/analytics/time";
import { type IncrementOutcome, incrementRollup } from "@/lib/db/analytics-repo";

// No "server-only": the campaign runner (tsx) and the bench call this.

export interface RecordResult {
  /** False when this status event id was already counted: a redelivery changes nothing. */
  counted: boolean;
  /** True when it was the recipient's first human open/click in the campaign. */
  firstSeen: boolean;
}

/**
 * The one ingest verb for message status events (campaign fan-out, SES notifications, tracking routes,
 * registrations). Idempotent per `eventId`: the dedupe marker and the counter increments are written in one
 * transaction. Bot and privacy-proxy opens/clicks are counted apart and never set a first-seen marker.
 * @throws ZodError on bad input; UnavailableError when DynamoDB stays busy.
 */
export async function recordMessageEvent(raw: MessageEventInput): Promise<RecordResult> {
  const input = MessageEventInput.parse(raw);
  const atMs = Date.parse(input.at);
  const kind = uniqueKind(input);
  const base = {
    statusEventId: input.eventId,
    day: dayKey(atMs),
    hour: hourOfDay(atMs),
    dims: dimsOf(input),
  };
  let outcome: IncrementOutcome;
  try {
    outcome = await incrementRollup({
      ...base,
      marker: kind ? { campaignId: input.campaignId!, recipientId: input.recipientId!, kind } : null,
      counters: countersFor(input, kind !== null),
    });
    if (outcome === "not_first") {
      outcome = await incrementRollup({ ...base, marker: null, counters: countersFor(input, false) });
      return { counted: outcome === "applied", firstSeen: false };
    }
  } finally {
    markRollupsDirty();
  }
  return { counted: outcome === "applied", firstSeen: outcome === "applied" && kind !== null };
}
