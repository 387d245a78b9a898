import {
  CreateEmailTemplateCommand,
  GetAccountCommand,
  SendBulkEmailCommand,
  SendEmailCommand,
  SESv2Client,
  errorTypeRegistries,
  type BulkEmailEntryResult,
} from "@aws-sdk/client-sesv2";
import { AwsRestJsonProtocol, JsonCodec } from "@aws-sdk/core/protocols";

import {
  NothingSentError,
  type Mailer,
  type MessageHeader,
  type OutgoingMessage,
  type SendResult,
} from "@/lib/email/mailer";
import { toHandlebars, type HandlebarsTemplate, type MessageTemplate } from "@/lib/email/message-template";
import { backoffMs, systemClock, TokenBucket, type Clock } from "@/lib/email/rate-limiter";
import { getEnv, type Env } from "@/lib/env";

/*
 * SESv2 mailer. Fast path: SendBulkEmail, up to 50 entries per call. Messages filled from one message template
 * (campaign messages, lib/email/message-template.ts) go through that template installed in SES, so each entry
 * carries only its slot values; other messages through a pass-through template whose parts are `{{{subject}}}`,
 * `{{{html}}}`, `{{{text}}}`. Each
 * entry's data goes as ReplacementTemplateData and its List-Unsubscribe headers as ReplacementHeaders (both
 * verified against aws-ses-v2-local). Fallback: SendEmail with Simple content + Headers, one call per message.
 * SDK retries are off (maxAttempts 1): a silent SDK retry after a timeout could send twice; this class decides
 * what is safe to retry.
 */

export const BULK_LIMIT = 50;
export const PASSTHROUGH_TEMPLATE = "rally-passthrough-v1";

interface BulkTemplate {
  name: string;
  subject: string;
  html: string;
  text: string;
}

const PASSTHROUGH: BulkTemplate = {
  name: PASSTHROUGH_TEMPLATE,
  subject: "{{{subject}}}",
  html: "{{{html}}}",
  text: "{{{text}}}",
};

// Translating a message template hashes its content: once per template object, which a campaign run reuses.
const installed = new WeakMap<MessageTemplate, HandlebarsTemplate>();
function handlebarsFor(template: MessageTemplate): HandlebarsTemplate {
  let hb = installed.get(template);
  if (!hb) installed.set(template, (hb = toHandlebars(template)));
  return hb;
}
/** SES's usual starting production rate; used when neither config nor GetAccount gives one. */
export const DEFAULT_MAX_SEND_RATE = 14;

export interface SesMailerOptions {
  client?: SESv2Client;
  /** Default From address. */
  from?: string;
  /** Messages per second, "unlimited", or undefined to use config → GetAccount → DEFAULT_MAX_SEND_RATE. */
  maxSendRate?: number | "unlimited";
  /** "bulk" (default) or "single" (SendEmail per message). */
  mode?: "bulk" | "single";
  /** In-call retries of throttled / 5xx answers before handing `throttled` back to the caller. */
  maxRetries?: number;
  clock?: Clock;
}

/**
 * SESv2's own REST-JSON protocol with the SDK's JSON.stringify-based codec instead of its default byte-by-byte
 * writer: the same request bytes (checked in ses-mailer.int.test.ts) for less client CPU per 50-entry
 * SendBulkEmail (`npm run bench:ses-client`), where every entry's template data is a JSON string the default
 * writer escapes one character at a time.
 */
function sesProtocol(): AwsRestJsonProtocol {
  return new AwsRestJsonProtocol({
    defaultNamespace: "com.amazonaws.sesv2",
    errorTypeRegistries,
    jsonCodec: new JsonCodec({
      timestampFormat: { useTrait: true, default: 7 /* epoch seconds, restJson1's default */ },
      httpBindings: true,
      jsonName: true,
    }),
  });
}

/** One SESv2 client for the configured endpoint: the local emulator (fixed local credentials) or real SES. */
export function createSesClient(env: Env = getEnv()): SESv2Client {
  return new SESv2Client({
    region: env.AWS_REGION,
    maxAttempts: 1,
    protocol: sesProtocol(),
    // The middleware stack is built once per command type instead of on every send; nothing here changes the
    // stack after the first request.
    cacheMiddleware: true,
    ...(env.SES_ENDPOINT
      ? { endpoint: env.SES_ENDPOINT, credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
}

/**
 * The send rate to respect: SES_MAX_SEND_RATE, else the account's SendQuota.MaxSendRate, else the default.
 * The emulator answers GetAccount with 400 unless AWS_SES_ACCOUNT is set; that falls through to the default.
 */
export async function resolveMaxSendRate(client: SESv2Client, env: Env = getEnv()): Promise<number> {
  if (env.SES_MAX_SEND_RATE !== undefined) return env.SES_MAX_SEND_RATE;
  try {
    const account = await client.send(new GetAccountCommand({}));
    const rate = account.SendQuota?.MaxSendRate;
    if (rate !== undefined && rate > 0) return rate;
  } catch {
    // fall through: no account information available
  }
  return DEFAULT_MAX_SEND_RATE;
}

const sameHeader = (a: MessageHeader, b: MessageHeader) => a.name === b.name && a.value === b.value;

/** The headers (name and value) that every message of the batch has. */
function sharedHeaders(batch: OutgoingMessage[]): MessageHeader[] {
  const [first, ...rest] = batch;
  if (!first) return [];
  return first.headers.filter((h) => rest.every((m) => m.headers.some((x) => sameHeader(x, h))));
}

type ErrorClass = "throttled" | "permanent" | "transient" | "not-sent" | "unknown" | "template-missing";

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLE_NAMES = new Set(["ThrottlingException", "TooManyRequestsException", "LimitExceededException"]);
const PAUSED_NAMES = new Set(["SendingPausedException", "AccountSuspendedException"]);
// Errors raised before a byte reached SES.
const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Sorts an SDK error into what is safe to do next. Exported for tests. */
export function classifySesError(error: unknown): ErrorClass {
  const e = (error ?? {}) as AwsLikeError & { cause?: AwsLikeError };
  const status = e.$metadata?.httpStatusCode;
  if (e.name && THROTTLE_NAMES.has(e.name)) return "throttled";
  if (status === 429) return "throttled";
  // The emulator answers 404 without an error type the SDK maps, so the status counts too.
  if (e.name === "NotFoundException" || status === 404) return "template-missing";
  if (e.name && PAUSED_NAMES.has(e.name)) return "transient";
  if (status !== undefined && status >= 500) return "transient";
  if (status !== undefined && status >= 400) return "permanent";
  const code = e.code ?? e.cause?.code;
  if (code && CONNECT_CODES.has(code)) return "not-sent";
  return "unknown";
}

function describe(error: unknown): string {
  const e = error as AwsLikeError;
  return `${e?.name ?? "Error"}: ${e?.message ?? String(error)}`.slice(0, 500);
}

export class SesMailer implements Mailer {
  readonly limiter: TokenBucket;
  private readonly client: SESv2Client;
  private readonly from: string;
  private readonly mode: "bulk" | "single";
  private readonly maxRetries: number;
  private readonly clock: Clock;
  private readonly templates = new Map<string, Promise<void>>();

  private constructor(client: SESv2Client, rate: number, options: SesMailerOptions) {
    this.client = client;
    this.from = options.from ?? getEnv().SES_FROM_ADDRESS;
    this.mode = options.mode ?? "bulk";
    this.maxRetries = options.maxRetries ?? 3;
    this.clock = options.clock ?? systemClock;
    this.limiter = new TokenBucket({ ratePerSecond: rate, clock: this.clock });
  }

  /** Builds a mailer, resolving the send rate once (see resolveMaxSendRate). */
  static async create(options: SesMailerOptions = {}): Promise<SesMailer> {
    const client = options.client ?? createSesClient();
    const rate =
      options.maxSendRate === "unlimited"
        ? Infinity
        : (options.maxSendRate ?? (await resolveMaxSendRate(client)));
    return new SesMailer(client, rate, options);
  }

  get maxSendRate(): number {
    return this.limiter.ratePerSecond;
  }

  async send(batch: OutgoingMessage[]): Promise<SendResult[]> {
    // One bulk call has one From address: group by sender, then cut into calls of at most 50.
    const bySender = new Map<string, OutgoingMessage[]>();
    for (const m of batch) {
      const from = m.from ?? this.from;
      const group = bySender.get(from);
      if (group) group.push(m);
      else bySender.set(from, [m]);
    }
    const chunks = [...bySender.values()].flatMap((group) =>
      Array.from({ length: Math.ceil(group.length / BULK_LIMIT) }, (_, i) =>
        group.slice(i * BULK_LIMIT, (i + 1) * BULK_LIMIT),
      ),
    );
    const results = new Map<OutgoingMessage, SendResult>();
    for (const [i, chunk] of chunks.entries()) {
      try {
        const answers = this.mode === "bulk" ? await this.sendBulk(chunk) : await this.sendSingles(chunk);
        chunk.forEach((m, j) => results.set(m, answers[j]!));
      } catch (error) {
        // Earlier chunks went out: the call as a whole must not claim that nothing was sent.
        if (i === 0 || !(error instanceof NothingSentError)) throw error;
        for (const m of chunk) {
          results.set(m, { id: m.id, status: "failed", reason: error.message, permanent: false });
        }
      }
    }
    return batch.map((m) => results.get(m)!);
  }

  /** Creates an SES template once per process; "already exists" counts as success. */
  private ensureTemplate(template: BulkTemplate): Promise<void> {
    let ready = this.templates.get(template.name);
    if (!ready) {
      ready = this.client
        .send(
          new CreateEmailTemplateCommand({
            TemplateName: template.name,
            TemplateContent: { Subject: template.subject, Html: template.html, Text: template.text },
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => {
            const e = error as AwsLikeError & { type?: string };
            if (e.name === "AlreadyExistsException" || e.type === "AlreadyExistsException") return;
            this.templates.delete(template.name);
            throw new NothingSentError(`Could not create the SES template: ${describe(error)}`, {
              cause: error,
            });
          },
        );
      this.templates.set(template.name, ready);
    }
    return ready;
  }

  private async sendBulk(chunk: OutgoingMessage[]): Promise<SendResult[]> {
    const results = new Map<string, SendResult>();
    // Messages filled from one message template send only their values; anything else goes whole through the
    // pass-through template.
    const common = chunk[0]?.templated?.template;
    const hb =
      common && chunk.every((m) => m.templated?.template === common) ? handlebarsFor(common) : undefined;
    const template: BulkTemplate = hb ?? PASSTHROUGH;
    const hasConstants = hb !== undefined && Object.keys(hb.constants).length > 0;
    const templateData = (m: OutgoingMessage) =>
      JSON.stringify(
        hb
          ? hasConstants
            ? { ...m.templated!.values, ...hb.constants }
            : m.templated!.values
          : { subject: m.subject, html: m.html, text: m.text },
      );
    // Headers every message carries alike (List-Unsubscribe-Post) go once as the template's headers; SES adds
    // them to each entry that does not replace them.
    const shared = sharedHeaders(chunk);
    const own = (m: OutgoingMessage) =>
      shared.length === 0 ? m.headers : m.headers.filter((h) => !shared.some((x) => sameHeader(x, h)));
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const retry: OutgoingMessage[] = [];
      try {
        await this.ensureTemplate(template);
      } catch (error) {
        if (attempt === 0) throw error;
        for (const m of pending) results.set(m.id, this.resultForError(m.id, "not-sent", error));
        break;
      }
      await this.limiter.acquire(pending.length);
      const last = attempt >= this.maxRetries;
      let answer: BulkEmailEntryResult[];
      try {
        const out = await this.client.send(
          new SendBulkEmailCommand({
            FromEmailAddress: pending[0]?.from ?? this.from, // send() groups chunks by sender
            DefaultContent: {
              Template: {
                TemplateName: template.name,
                TemplateData: "{}",
                ...(shared.length > 0
                  ? { Headers: shared.map((h) => ({ Name: h.name, Value: h.value })) }
                  : {}),
              },
            },
            BulkEmailEntries: pending.map((m) => ({
              Destination: { ToAddresses: [m.to] },
              ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: templateData(m) } },
              ReplacementHeaders: own(m).map((h) => ({ Name: h.name, Value: h.value })),
              ...(m.tags?.length
                ? { ReplacementTags: m.tags.map((t) => ({ Name: t.name, Value: t.value })) }
                : {}),
            })),
          }),
        );
        answer = out.BulkEmailEntryResults ?? [];
      } catch (error) {
        const kind = classifySesError(error);
        if (kind === "template-missing") this.templates.delete(template.name);
        if ((kind === "throttled" || kind === "transient" || kind === "template-missing") && !last) {
          await this.clock.sleep(backoffMs(attempt));
          continue;
        }
        for (const m of pending) results.set(m.id, this.resultForError(m.id, kind, error));
        break;
      }
      pending.forEach((m, i) => {
        const r = answer[i];
        const status = r?.Status ?? "FAILED";
        const reason = `${status}${r?.Error ? `: ${r.Error}` : ""}`;
        if (status === "SUCCESS" && r?.MessageId) {
          results.set(m.id, { id: m.id, status: "sent", providerMessageId: r.MessageId });
        } else if (status === "ACCOUNT_THROTTLED" || status === "ACCOUNT_DAILY_QUOTA_EXCEEDED") {
          if (last) results.set(m.id, { id: m.id, status: "throttled", reason });
          else retry.push(m);
        } else if (status === "TRANSIENT_FAILURE" || status === "TEMPLATE_NOT_FOUND") {
          if (status === "TEMPLATE_NOT_FOUND") this.templates.delete(template.name);
          if (last) results.set(m.id, { id: m.id, status: "failed", reason, permanent: false });
          else retry.push(m);
        } else {
          const permanent = ![
            "ACCOUNT_SENDING_PAUSED",
            "ACCOUNT_SUSPENDED",
            "CONFIGURATION_SET_SENDING_PAUSED",
          ].includes(status);
          results.set(m.id, { id: m.id, status: "failed", reason, permanent });
        }
      });
      if (retry.length > 0) await this.clock.sleep(backoffMs(attempt));
      pending = retry;
    }
    return chunk.map((m) => results.get(m.id) ?? { id: m.id, status: "unknown", reason: "no answer" });
  }

  private resultForError(id: string, kind: ErrorClass, error: unknown): SendResult {
    const reason = describe(error);
    switch (kind) {
      case "throttled":
        return { id, status: "throttled", reason };
      case "permanent":
        return { id, status: "failed", reason, permanent: true };
      case "transient":
      case "not-sent":
      case "template-missing":
        return { id, status: "failed", reason, permanent: false };
      case "unknown":
        return { id, status: "unknown", reason };
    }
  }

  private async sendSingles(chunk: OutgoingMessage[]): Promise<SendResult[]> {
    // A small worker pool: SendEmail is one message per call.
    const results: SendResult[] = new Array(chunk.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < chunk.length; i = next++) results[i] = await this.sendOne(chunk[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(8, chunk.length) }, worker));
    return results;
  }

  private async sendOne(m: OutgoingMessage): Promise<SendResult> {
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(1);
      try {
        const out = await this.client.send(
          new SendEmailCommand({
            FromEmailAddress: m.from ?? this.from,
            Destination: { ToAddresses: [m.to] },
            Content: {
              Simple: {
                Subject: { Data: m.subject, Charset: "UTF-8" },
                Body: { Html: { Data: m.html, Charset: "UTF-8" }, Text: { Data: m.text, Charset: "UTF-8" } },
                Headers: m.headers.map((h) => ({ Name: h.name, Value: h.value })),
              },
            },
            ...(m.tags?.length ? { EmailTags: m.tags.map((t) => ({ Name: t.name, Value: t.value })) } : {}),
          }),
        );
        return out.MessageId
          ? { id: m.id, status: "sent", providerMessageId: out.MessageId }
          : { id: m.id, status: "unknown", reason: "SES answered without a MessageId" };
      } catch (error) {
        const kind = classifySesError(error);
        if ((kind === "throttled" || kind === "transient") && attempt < this.maxRetries) {
          await this.clock.sleep(backoffMs(attempt));
          continue;
        }
        return this.resultForError(m.id, kind, error);
      }
    }
  }
}
