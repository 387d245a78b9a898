import { describe, expect, it } from "vitest";

import { summarize } from "@/lib/analytics/rollup";
import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { getRollupTable } from "@/lib/analytics/rollup-store";
import { type MessageEventInput } from "@/lib/analytics/schemas";
import { incrementRollup } from "@/lib/db/analytics-repo";
import { setupIntegration } from "@/test/integration";

setupIntegration();

const base = (campaignId: string, extra: Partial<MessageEventInput> = {}): MessageEventInput => ({
  eventId: `${campaignId}-${Math.random()}`,
  campaignId,
  recipientId: "r1",
  type: "opened",
  at: "2026-11-20T08:30:00Z",
  utm: { source: "News", medium: "email", campaign: "x" },
  ...extra,
});

async function summary(campaignId: string) {
  return summarize(await getRollupTable(), { campaignId }).summary;
}

describe("recordMessageEvent under concurrency", () => {
  it("counts one status event id once even when it races itself", async () => {
    const event = base("race-dup", { type: "delivered" });
    const results = await Promise.all(Array.from({ length: 10 }, () => recordMessageEvent(event)));
    expect(results.filter((r) => r.counted)).toHaveLength(1);
    expect((await summary("race-dup")).delivered).toBe(1);
  });

  it("gives exactly one unique open when a recipient's first opens race", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => recordMessageEvent(base("race-open"))));
    expect(results.every((r) => r.counted)).toBe(true);
    expect(results.filter((r) => r.firstSeen)).toHaveLength(1);
    expect(await summary("race-open")).toMatchObject({ opened: 8, uniqueOpened: 1 });
  });

  it("lets a human open after a proxy open still count as unique", async () => {
    await recordMessageEvent(base("proxy-then-human", { flags: { privacyProxy: true } }));
    await recordMessageEvent(base("proxy-then-human", { flags: { bot: true }, type: "clicked" }));
    expect((await recordMessageEvent(base("proxy-then-human"))).firstSeen).toBe(true);
    expect(await summary("proxy-then-human")).toMatchObject({
      opened: 2,
      uniqueOpened: 1,
      proxyOpened: 1,
      clicked: 1,
      uniqueClicked: 0,
      botClicked: 1,
    });
  });

  it("picks up rows written by another process through the change feed", async () => {
    expect((await summary("other-process")).sent).toBe(0);
    // Written straight through the repository, as another server would: this process's copy is not told.
    await incrementRollup({
      statusEventId: "other-process-1",
      marker: null,
      day: "2026-11-21",
      hour: 9,
      dims: { campaignId: "other-process", eventId: "", source: "news", medium: "email", campaign: "x" },
      counters: ["sent"],
    });
    let sent = 0;
    for (let attempt = 0; attempt < 100 && sent === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      sent = (await summary("other-process")).sent;
    }
    expect(sent).toBe(1);
  });
});
