import { CAMPAIGN_SEND_REQUESTED } from "@/inngest/event-names";
import { getFanoutDeps } from "@/lib/campaigns/deps";
import { fanOutCampaign, type MinimalStep } from "@/lib/campaigns/fanout";

/*
 * In-process executor for when no Inngest server is configured (no INNGEST_DEV / INNGEST_EVENT_KEY /
 * INNGEST_SIGNING_KEY): `run` executes and JSON-round-trips like Inngest, `sleep` is a timer, `sendEvent`
 * dispatches here. It mirrors the function's idempotency key and per-campaign concurrency, not retries: a
 * failed run is logged and ends; re-sending the event (the outbox relay does) resumes it safely.
 */

export interface LocalEvent {
  name: string;
  data: Record<string, unknown>;
}

type Handler = (ctx: { event: LocalEvent; step: MinimalStep }) => Promise<unknown>;

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds for a number (ms) or an Inngest-style duration like "500ms", "2s", "1m". */
export function durationMs(d: string | number): number {
  if (typeof d === "number") return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(d.trim());
  if (!m) throw new RangeError(`Unsupported duration: ${d}`);
  return Number(m[1]) * (UNITS[m[2]!] ?? 1);
}

/** A MinimalStep that runs everything in this process. */
export function createLocalStep(dispatch: (events: LocalEvent[]) => Promise<void>): MinimalStep {
  return {
    async run<T>(_id: string, fn: () => Promise<T>) {
      const value = await fn();
      return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    },
    sleep: (_id, d) => new Promise((resolve) => setTimeout(resolve, durationMs(d))),
    async sendEvent(_id, events) {
      await dispatch(events);
      return { ids: events.map((_, i) => `local-${Date.now()}-${i}`) };
    },
  };
}

interface Registration {
  event: string;
  handler: Handler;
  idempotencyKey?: (e: LocalEvent) => string;
  concurrencyKey?: (e: LocalEvent) => string;
}

export class LocalRunner {
  private readonly registrations: Registration[] = [];
  private readonly seen = new Set<string>();
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  readonly errors: unknown[] = [];

  register(registration: Registration): this {
    this.registrations.push(registration);
    return this;
  }

  /** Starts matching handlers in the background; duplicate idempotency keys are dropped like Inngest does. */
  async send(events: LocalEvent | LocalEvent[]): Promise<void> {
    for (const event of Array.isArray(events) ? events : [events]) {
      for (const reg of this.registrations.filter((r) => r.event === event.name)) {
        const key = reg.idempotencyKey?.(event);
        if (key !== undefined) {
          if (this.seen.has(`${reg.event}:${key}`)) continue;
          this.seen.add(`${reg.event}:${key}`);
        }
        const lane = reg.concurrencyKey?.(event) ?? `${Math.random()}`;
        const step = createLocalStep((evs) => this.send(evs));
        const previous = this.lanes.get(lane) ?? Promise.resolve();
        const run = previous
          .then(() => reg.handler({ event, step }))
          .then(
            () => undefined,
            (error: unknown) => {
              this.errors.push(error);
              console.error(`[local-runner] ${event.name} failed:`, error);
            },
          );
        this.lanes.set(lane, run);
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }
    }
  }

  /** Resolves when no run is in flight, including runs started by sendEvent while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** A runner with the app's functions registered, using the fan-out dependencies from lib/campaigns/deps. */
export function createAppLocalRunner(): LocalRunner {
  return new LocalRunner().register({
    event: CAMPAIGN_SEND_REQUESTED,
    handler: async ({ event, step }) => fanOutCampaign({ event, step }, await getFanoutDeps()),
    idempotencyKey: (e) => String(e.data.outboxId),
    concurrencyKey: (e) => `campaign:${String(e.data.campaignId)}`,
  });
}

const globalForRunner = globalThis as unknown as { rallyLocalRunner?: LocalRunner };

/** The process-wide runner (kept on globalThis so dev hot reloads do not start a second one). */
export function getLocalRunner(): LocalRunner {
  globalForRunner.rallyLocalRunner ??= createAppLocalRunner();
  return globalForRunner.rallyLocalRunner;
}
