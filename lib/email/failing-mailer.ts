import { NothingSentError, type Mailer, type OutgoingMessage, type SendResult } from "@/lib/email/mailer";

/*
 * Fault injection around a real mailer (normally SesMailer on the emulator), so tests exercise the same send
 * path production uses. Messages without a fault are forwarded to the inner mailer in one call.
 */

export type Fault =
  /** Answer `throttled`; nothing sent. */
  | "throttle"
  /** Answer `failed`, permanent; nothing sent. */
  | "fail-permanent"
  /** Answer `failed`, not permanent; nothing sent. */
  | "fail-transient"
  /** Refuse the whole call with NothingSentError before anything is forwarded. */
  | "reject-call"
  /** Forward (the message IS delivered) but answer `unknown`, like a timeout after SES accepted it. */
  | "unknown-after-send"
  /** Forward the whole batch, then throw a plain Error: a worker dying between send and mark. */
  | "crash-after-send";

export interface FaultContext {
  /** 1-based number of the send() call. */
  call: number;
  /** 1-based number of times this message id has been offered to send(). */
  attempt: number;
}

export type FaultRule = (message: OutgoingMessage, ctx: FaultContext) => Fault | undefined;

export class FailingMailer implements Mailer {
  calls = 0;
  readonly injected: { id: string; fault: Fault; call: number }[] = [];
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly inner: Mailer,
    private readonly rule: FaultRule,
  ) {}

  async send(batch: OutgoingMessage[]): Promise<SendResult[]> {
    const call = ++this.calls;
    const faults = batch.map((m) => {
      const attempt = (this.attempts.get(m.id) ?? 0) + 1;
      this.attempts.set(m.id, attempt);
      const fault = this.rule(m, { call, attempt });
      if (fault) this.injected.push({ id: m.id, fault, call });
      return fault;
    });

    if (faults.includes("reject-call")) throw new NothingSentError(`Injected rejection of call ${call}.`);
    const crash = faults.includes("crash-after-send");
    const forward = batch.filter(
      (_, i) => crash || faults[i] === undefined || faults[i] === "unknown-after-send",
    );
    const innerResults = forward.length > 0 ? await this.inner.send(forward) : [];
    if (crash) throw new Error(`Injected crash after sending call ${call}.`);
    const byId = new Map(innerResults.map((r) => [r.id, r]));

    return batch.map((m, i): SendResult => {
      switch (faults[i]) {
        case "throttle":
          return { id: m.id, status: "throttled", reason: "Injected throttling" };
        case "fail-permanent":
          return { id: m.id, status: "failed", reason: "Injected permanent failure", permanent: true };
        case "fail-transient":
          return { id: m.id, status: "failed", reason: "Injected transient failure", permanent: false };
        case "unknown-after-send":
          return { id: m.id, status: "unknown", reason: "Injected lost answer" };
        default:
          return byId.get(m.id) ?? { id: m.id, status: "unknown", reason: "inner mailer gave no result" };
      }
    });
  }
}

/** Fault rule helpers. */
export const faults = {
  /** `fault` the first time a message matching `match` is offered, then behave. */
  once:
    (match: (m: OutgoingMessage) => boolean, fault: Fault): FaultRule =>
    (m, { attempt }) =>
      match(m) && attempt === 1 ? fault : undefined,
  /** `fault` on every call whose number satisfies `onCall`. */
  onCalls:
    (onCall: (call: number) => boolean, fault: Fault): FaultRule =>
    (_m, { call }) =>
      onCall(call) ? fault : undefined,
  /** `fault` always for matching messages. */
  always:
    (match: (m: OutgoingMessage) => boolean, fault: Fault): FaultRule =>
    (m) =>
      match(m) ? fault : undefined,
  /** First rule that answers wins. */
  any:
    (...rules: FaultRule[]): FaultRule =>
    (m, ctx) => {
      for (const rule of rules) {
        const f = rule(m, ctx);
        if (f) return f;
      }
      return undefined;
    },
};
