import { describe, expect, it } from "vitest";

import { createLocalStep, durationMs, LocalRunner } from "@/inngest/local-runner";

describe("local runner", () => {
  it("parses Inngest-style durations", () => {
    expect(durationMs(250)).toBe(250);
    expect(durationMs("500ms")).toBe(500);
    expect(durationMs("2s")).toBe(2000);
    expect(durationMs("1.5m")).toBe(90_000);
    expect(() => durationMs("soon")).toThrow(RangeError);
  });

  it("JSON-round-trips step results like Inngest does", async () => {
    const step = createLocalStep(async () => undefined);
    const out = await step.run("x", async () => ({ when: new Date(0), gone: undefined, n: 1 }));
    expect(out).toEqual({ when: "1970-01-01T00:00:00.000Z", n: 1 });
  });

  it("drops duplicate idempotency keys, serialises a concurrency lane and follows sendEvent", async () => {
    const log: string[] = [];
    const runner = new LocalRunner()
      .register({
        event: "a/start",
        idempotencyKey: (e) => String(e.data.key),
        concurrencyKey: () => "lane",
        handler: async ({ event, step }) => {
          log.push(`start ${String(event.data.key)}`);
          await step.sleep("wait", 5);
          log.push(`end ${String(event.data.key)}`);
          await step.sendEvent("next", [{ name: "a/next", data: { from: event.data.key } }]);
        },
      })
      .register({
        event: "a/next",
        handler: async ({ event }) => void log.push(`next ${String(event.data.from)}`),
      });
    await runner.send([
      { name: "a/start", data: { key: 1 } },
      { name: "a/start", data: { key: 1 } },
      { name: "a/start", data: { key: 2 } },
    ]);
    await runner.idle();
    expect(log).toEqual(["start 1", "end 1", "next 1", "start 2", "end 2", "next 2"]);
  });
});
