import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  applyCounters,
  breakdown,
  countersFor,
  dimsOf,
  emptyRow,
  registrationsByEvent,
  RollupTable,
  rowId,
  summarize,
  sumRows,
  timeseries,
  toRollupFilters,
  uniqueKind,
  type RollupRow,
} from "@/lib/analytics/rollup";
import { type MessageEventInput, SummaryQuery } from "@/lib/analytics/schemas";
import { dayKey } from "@/lib/analytics/time";

function ev(partial: Partial<MessageEventInput> & Pick<MessageEventInput, "type">): MessageEventInput {
  return {
    eventId: `e-${Math.random()}`,
    campaignId: "c1",
    recipientId: "u1",
    at: "2026-11-20T10:15:00Z",
    utm: { source: "Newsletter", medium: "email", campaign: "launch" },
    ...partial,
  };
}

/** Folds events into rows the way ingest does, with an in-memory first-seen set. */
function fold(events: MessageEventInput[]): RollupTable {
  const rows = new Map<string, RollupRow>();
  const seen = new Set<string>();
  for (const e of events) {
    const ms = Date.parse(e.at);
    const dims = dimsOf(e);
    const id = rowId(dayKey(ms), dims);
    const row = rows.get(id) ?? emptyRow(dayKey(ms), dims);
    rows.set(id, row);
    const kind = uniqueKind(e);
    const marker = `${e.campaignId}|${e.recipientId}|${kind}`;
    const first = kind !== null && !seen.has(marker);
    if (first) seen.add(marker);
    applyCounters(row, countersFor(e, first), ms);
  }
  return RollupTable.from(rows.values());
}

describe("countersFor", () => {
  it("counts flagged opens apart from uniques", () => {
    expect(countersFor(ev({ type: "opened", flags: { bot: true } }), true)).toEqual(["opened", "botOpened"]);
    expect(countersFor(ev({ type: "clicked", flags: { privacyProxy: true } }), true)).toEqual([
      "clicked",
      "proxyClicked",
    ]);
    expect(countersFor(ev({ type: "opened" }), true)).toEqual(["opened", "uniqueOpened"]);
    expect(countersFor(ev({ type: "opened" }), false)).toEqual(["opened"]);
    expect(countersFor(ev({ type: "bounced" }), false)).toEqual(["bounced"]);
  });

  it("never asks for a marker for flagged or anonymous traffic", () => {
    expect(uniqueKind(ev({ type: "opened", flags: { bot: true } }))).toBeNull();
    expect(uniqueKind(ev({ type: "clicked", recipientId: undefined }))).toBeNull();
    expect(uniqueKind(ev({ type: "sent" }))).toBeNull();
    expect(uniqueKind(ev({ type: "clicked" }))).toBe("clicked");
  });
});

describe("summarize", () => {
  const rows = fold([
    ev({ type: "queued" }),
    ev({ type: "queued", recipientId: "u2" }),
    ev({ type: "queued", recipientId: "u3" }),
    ev({ type: "sent" }),
    ev({ type: "sent", recipientId: "u2" }),
    ev({ type: "delivered" }),
    ev({ type: "opened" }),
    ev({ type: "opened" }),
    ev({ type: "opened", recipientId: "u2", flags: { privacyProxy: true } }),
    ev({ type: "clicked", at: "2026-11-21T08:00:00Z" }),
    ev({ type: "registered", recipientId: undefined, campaignId: undefined, utm: { source: "twitter" } }),
  ]);

  it("reports every metric, pending and excluded traffic", () => {
    const { summary, rates, excluded } = summarize(rows, {});
    expect(summary).toMatchObject({
      sent: 2,
      pending: 1,
      delivered: 1,
      opened: 3,
      uniqueOpened: 1,
      proxyOpened: 1,
      clicked: 1,
      uniqueClicked: 1,
      registered: 1,
    });
    expect(excluded.proxyOpened).toBe(1);
    expect(rates.deliveryRate).toBe(0.5);
    expect(rates.openRate).toBe(1);
  });

  it("applies any subset of UTM filters, case-insensitively", () => {
    const q = SummaryQuery.parse({ utm_source: "NEWSLETTER" });
    expect(summarize(rows, toRollupFilters(q)).summary.registered).toBe(0);
    expect(summarize(rows, toRollupFilters(q)).summary.sent).toBe(2);
    expect(summarize(rows, toRollupFilters({ utm_medium: "email" })).summary.sent).toBe(2);
    expect(summarize(rows, toRollupFilters({ utm_source: "twitter" })).summary.registered).toBe(1);
    expect(summarize(rows, toRollupFilters({ utm_campaign: "launch", utm_source: "x" })).summary.sent).toBe(
      0,
    );
  });

  it("answers zeros for an unknown campaign", () => {
    const { summary, rates } = summarize(rows, { campaignId: "nope" });
    expect(Object.values(summary).every((v) => v === 0)).toBe(true);
    expect(Object.values(rates).every((v) => v === 0)).toBe(true);
  });

  it("cuts by hour inside a day", () => {
    const q = toRollupFilters(SummaryQuery.parse({ from: "2026-11-21T00:00:00Z", to: "2026-11-21" }));
    expect(summarize(rows, q).summary).toMatchObject({ clicked: 1, sent: 0 });
    const early = toRollupFilters(SummaryQuery.parse({ to: "2026-11-20T09:59:00Z" }));
    expect(summarize(rows, early).summary.sent).toBe(0);
    // Hour precision: the hour containing `from` counts in full.
    const within = toRollupFilters(
      SummaryQuery.parse({ from: "2026-11-20T10:59:00Z", to: "2026-11-20T10:59:30Z" }),
    );
    expect(summarize(rows, within).summary.sent).toBe(2);
  });
});

describe("timeseries and breakdown", () => {
  const rows = fold([
    ev({ type: "sent", at: "2026-11-20T10:00:00Z" }),
    ev({ type: "sent", at: "2026-11-20T13:00:00Z", recipientId: "u2" }),
    ev({
      type: "sent",
      at: "2026-11-22T01:00:00Z",
      recipientId: "u3",
      campaignId: "c2",
      utm: { source: "partner" },
    }),
    ev({ type: "registered", at: "2026-11-22T02:00:00Z", eventIdOfEvent: "evt1" }),
  ]);

  it("zero-fills day and hour buckets", () => {
    const days = timeseries(
      rows,
      { fromMs: Date.parse("2026-11-19"), toMs: Date.parse("2026-11-22T23:00:00Z") },
      "sent",
      "day",
    );
    expect(days.map((p) => p.value)).toEqual([0, 2, 0, 1]);
    expect(days[0]!.t).toBe("2026-11-19T00:00:00.000Z");
    const hours = timeseries(
      rows,
      { fromMs: Date.parse("2026-11-20T09:30:00Z"), toMs: Date.parse("2026-11-20T13:00:00Z") },
      "sent",
      "hour",
    );
    expect(hours.map((p) => p.value)).toEqual([0, 1, 0, 0, 1]);
  });

  it("groups by each dimension with (none) for missing values", () => {
    expect(breakdown(rows, {}, "utm_source").map((r) => [r.key, r.summary.sent])).toEqual([
      ["newsletter", 2],
      ["partner", 1],
    ]);
    expect(breakdown(rows, {}, "campaign").map((r) => r.key)).toEqual(["c1", "c2"]);
    expect(breakdown(rows, {}, "event").map((r) => [r.key, r.summary.registered])).toEqual([
      ["(none)", 0],
      ["evt1", 1],
    ]);
    expect(breakdown(rows, {}, "utm_medium").map((r) => r.key)).toEqual(["email", "(none)"]);
  });

  it("lists registrations over time per event", () => {
    const out = registrationsByEvent(
      rows,
      { fromMs: Date.parse("2026-11-21"), toMs: Date.parse("2026-11-22T12:00:00Z") },
      5,
    );
    expect(out).toEqual([
      {
        eventId: "evt1",
        points: [
          { t: "2026-11-21T00:00:00.000Z", value: 0 },
          { t: "2026-11-22T00:00:00.000Z", value: 1 },
        ],
      },
    ]);
  });
});

describe("properties", () => {
  const arbEvent = fc.record({
    type: fc.constantFrom("sent", "delivered", "opened", "clicked", "registered" as const),
    hour: fc.integer({ min: 0, max: 24 * 5 - 1 }),
    source: fc.constantFrom("a", "b", "C"),
    recipient: fc.constantFrom("r1", "r2", "r3"),
  });

  it("splitting the range at any hour never changes the total", () => {
    fc.assert(
      fc.property(
        fc.array(arbEvent, { maxLength: 60 }),
        fc.integer({ min: 1, max: 24 * 5 - 1 }),
        (events, cut) => {
          const base = Date.parse("2026-01-01T00:00:00Z");
          const rows = fold(
            events.map((e, i) =>
              ev({
                eventId: `p${i}`,
                type: e.type,
                at: new Date(base + e.hour * 3_600_000 + 60_000).toISOString(),
                recipientId: e.recipient,
                utm: { source: e.source },
              }),
            ),
          );
          const all = sumRows(rows, {});
          const cutMs = base + cut * 3_600_000;
          const left = sumRows(rows, { toMs: cutMs - 1 });
          const right = sumRows(rows, { fromMs: cutMs });
          for (let i = 0; i < all.length; i++) expect(left[i]! + right[i]!).toBe(all[i]);
          const bySource = breakdown(rows, {}, "utm_source").reduce((s, r) => s + r.summary.sent, 0);
          expect(bySource).toBe(summarize(rows, {}).summary.sent);
        },
      ),
    );
  });
});
