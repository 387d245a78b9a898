import { SendBulkEmailCommand, SESv2Client, type SendBulkEmailCommandInput } from "@aws-sdk/client-sesv2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { unsubscribeHeaders } from "@/lib/email/headers";
import { layoutHtml, layoutText } from "@/lib/email/layout";
import { fill, part, slot, type MessageTemplate } from "@/lib/email/message-template";
import { type OutgoingMessage } from "@/lib/email/mailer";
import {
  classifySesError,
  createSesClient,
  DEFAULT_MAX_SEND_RATE,
  resolveMaxSendRate,
  SesMailer,
} from "@/lib/email/ses-mailer";
import { startSesEmulator, type SesEmulator } from "@/lib/email/test-ses-emulator";
import { type Env } from "@/lib/env";
import { localClientConfig } from "@/dev/local-aws";

let ses: SesEmulator;
let client: SESv2Client;
const emulatorEnv = () => ({ AWS_REGION: "local", SES_ENDPOINT: ses.endpoint }) as Env;

beforeAll(async () => {
  ses = await startSesEmulator();
  // The client the app builds, so every test here also covers its protocol configuration.
  client = createSesClient(emulatorEnv());
});
afterAll(async () => {
  client.destroy();
  await ses.close();
});
beforeEach(() => ses.clear());

function message(i: number, to = `user${i}@example.com`): OutgoingMessage {
  return {
    id: `r${i}`,
    to,
    subject: `Hello {{not-a-var}} #${i} & <b>`,
    html: `<p>Hi {{{x}}} ${i} &amp; <a href="https://rally.test/r/t${i}">link</a></p>`,
    text: `Hi ${i}`,
    headers: unsubscribeHeaders(`https://rally.test/u/tok-${i}`),
  };
}

describe.each(["bulk", "single"] as const)("SesMailer (%s) against the emulator", (mode) => {
  it("delivers rendered parts verbatim with per-message RFC 8058 headers", async () => {
    const mailer = await SesMailer.create({
      client,
      mode,
      maxSendRate: "unlimited",
      from: "Rally <a@rally.test>",
    });
    const batch = Array.from({ length: 60 }, (_, i) => message(i));
    const results = await mailer.send(batch);
    expect(results.map((r) => r.status)).toEqual(batch.map(() => "sent"));
    expect(results.map((r) => r.id)).toEqual(batch.map((m) => m.id));

    const stored = await ses.emails();
    expect(stored).toHaveLength(60);
    const byTo = new Map(stored.map((e) => [e.destination.to[0], e]));
    for (const m of batch) {
      const e = byTo.get(m.to)!;
      // Handlebars-looking text in content must not be re-rendered or escaped by the pass-through template.
      expect(e.subject).toBe(m.subject);
      expect(e.body.html).toBe(m.html);
      expect(e.body.text).toBe(m.text);
      // In bulk the shared List-Unsubscribe-Post travels once, as the template's header: order may differ.
      expect([...(e.headers ?? [])].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        { name: "List-Unsubscribe", value: `<https://rally.test/u/tok-${m.id.slice(1)}>` },
        { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
      ]);
    }
  });

  it("sends template-filled messages (only their values in bulk) exactly as the filled documents", async () => {
    const mailer = await SesMailer.create({ client, mode, maxSendRate: "unlimited" });
    // Literal braces and backslashes next to slots would open or escape a Handlebars placeholder; values that
    // look like Handlebars must arrive verbatim.
    const template: MessageTemplate = {
      subject: part("Hi ", slot("s"), " {", slot("n"), "}"),
      html: layoutHtml({
        title: slot("sh"),
        body: part(
          "<p>Dear ",
          slot("w0"),
          " \\",
          '</p>\n<p><a href="https://rally.test/r/',
          slot("l1"),
          '">Agenda</a></p>',
        ),
        reason: "You registered for Rally &amp; friends {{maybe}}.",
        unsubscribeUrl: part("https://rally.test/u/", slot("u")),
        pixelUrl: part("https://rally.test/o/", slot("o")),
      }),
      text: layoutText({
        body: part("Dear ", slot("v0"), ",\n\nAgenda (https://rally.test/r/", slot("l1"), ")"),
        reason: "You registered for Rally & friends {{maybe}}.",
        unsubscribeUrl: part("https://rally.test/u/", slot("u")),
      }),
    };
    const batch = Array.from({ length: 12 }, (_, i): OutgoingMessage => {
      const values = {
        s: `{{x}} #${i} & <b>`,
        sh: `{{x}} #${i} &amp; &lt;b&gt;`,
        n: `${i}\\`,
        w0: `{{{name}}} ${i}`,
        v0: `{{{name}}} ${i}`,
        l1: `t${i}`,
        u: `tok-${i}`,
        o: `px-${i}`,
      };
      return {
        ...message(i),
        subject: fill(template.subject, values),
        html: fill(template.html, values),
        text: fill(template.text, values),
        templated: { template, values },
      };
    });
    expect((await mailer.send(batch)).every((r) => r.status === "sent")).toBe(true);
    const byTo = new Map((await ses.emails()).map((e) => [e.destination.to[0], e]));
    for (const m of batch) {
      const e = byTo.get(m.to)!;
      expect(e.subject).toBe(m.subject);
      expect(e.body.html).toBe(m.html);
      expect(e.body.text).toBe(m.text);
    }
  });

  // The emulator validates addresses only in SendBulkEmail; its SendEmail accepts anything.
  it.skipIf(mode === "single")(
    "reports a bad address as a permanent failure, the others still go",
    async () => {
      const mailer = await SesMailer.create({ client, mode, maxSendRate: "unlimited" });
      const results = await mailer.send([message(1), message(2, "not-an-address"), message(3)]);
      expect(results.map((r) => r.status)).toEqual(["sent", "failed", "sent"]);
      expect(results[1]).toMatchObject({ permanent: true });
      expect((await ses.emails()).map((e) => e.destination.to[0])).toEqual([
        "user1@example.com",
        "user3@example.com",
      ]);
    },
  );
});

describe("send rate and error classes", () => {
  it("falls back to config, then the default, when GetAccount is not available", async () => {
    const env = { SES_MAX_SEND_RATE: undefined } as unknown as Env;
    expect(await resolveMaxSendRate(client, env)).toBe(DEFAULT_MAX_SEND_RATE);
    expect(await resolveMaxSendRate(client, { ...env, SES_MAX_SEND_RATE: 3 })).toBe(3);
  });

  it("uses the account's MaxSendRate when SES reports it", async () => {
    process.env.AWS_SES_ACCOUNT = JSON.stringify({
      DedicatedIpAutoWarmupEnabled: false,
      Details: {
        AdditionalContactEmailAddresses: [],
        ContactLanguage: "EN",
        MailType: "MARKETING",
        ReviewDetails: { CaseId: "1", Status: "GRANTED" },
        UseCaseDescription: "events",
        WebsiteURL: "https://rally.test",
      },
      EnforcementStatus: "HEALTHY",
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      SendQuota: { Max24HourSend: 50000, MaxSendRate: 42, SentLast24Hours: 0 },
      SuppressionAttributes: { SuppressedReasons: [] },
    });
    try {
      expect(await resolveMaxSendRate(client, { SES_MAX_SEND_RATE: undefined } as unknown as Env)).toBe(42);
    } finally {
      delete process.env.AWS_SES_ACCOUNT;
    }
  });

  it("classifies errors by what is safe to retry", () => {
    expect(classifySesError({ name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } })).toBe(
      "throttled",
    );
    expect(classifySesError({ name: "MessageRejected", $metadata: { httpStatusCode: 400 } })).toBe(
      "permanent",
    );
    expect(classifySesError({ name: "InternalFailure", $metadata: { httpStatusCode: 500 } })).toBe(
      "transient",
    );
    expect(classifySesError({ name: "Error", code: "ECONNREFUSED" })).toBe("not-sent");
    expect(classifySesError({ name: "TimeoutError" })).toBe("unknown");
  });

  it("an unreachable endpoint fails the batch as not sent, never as sent", async () => {
    const dead = new SESv2Client({
      endpoint: "http://127.0.0.1:1",
      region: "local",
      maxAttempts: 1,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const mailer = await SesMailer.create({
      client: dead,
      mode: "single",
      maxSendRate: "unlimited",
      maxRetries: 0,
    });
    const [r] = await mailer.send([message(1)]);
    expect(r).toMatchObject({ status: "failed", permanent: false });
    dead.destroy();
  });
});

describe("senders", () => {
  it("splits a batch by From address and keeps result order", async () => {
    const mailer = await SesMailer.create({
      client,
      maxSendRate: "unlimited",
      from: "Default <d@rally.test>",
    });
    const batch = [message(1), { ...message(2), from: "Other <o@rally.test>" }, message(3)];
    const results = await mailer.send(batch);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["r1", "sent"],
      ["r2", "sent"],
      ["r3", "sent"],
    ]);
    const from = new Map((await ses.emails()).map((e) => [e.destination.to[0], e.from]));
    expect(from.get("user2@example.com")).toBe("Other <o@rally.test>");
    expect(from.get("user1@example.com")).toBe("Default <d@rally.test>");
  });
});

describe("pass-through template", () => {
  it("a second mailer (another process) finds the template already there and still sends", async () => {
    const first = await SesMailer.create({ client, maxSendRate: "unlimited" });
    const second = await SesMailer.create({ client, maxSendRate: "unlimited" });
    expect((await first.send([message(1)]))[0]?.status).toBe("sent");
    expect((await second.send([message(2)]))[0]?.status).toBe("sent");
  });
});

describe("createSesClient", () => {
  /** The request body each client puts on the wire, as bytes. */
  async function wireBody(c: SESv2Client, input: SendBulkEmailCommandInput) {
    let body: Buffer | undefined;
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: string | Uint8Array };
        // Uint8Array bodies are copied by their bytes: the SDK's default body warns on string-style access.
        const raw = request.body ?? "";
        body ??=
          typeof raw === "string"
            ? Buffer.from(raw, "utf8")
            : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        return next(args);
      },
      { step: "finalizeRequest", name: "captureBody" },
    );
    const answer = await c.send(new SendBulkEmailCommand(input)).catch((error: unknown) => error);
    return { body: body!, answer };
  }

  it("puts the same bytes on the wire as the SDK's default codec, and reads SES errors the same way", async () => {
    const app = createSesClient(emulatorEnv());
    const sdkDefault = new SESv2Client({ ...localClientConfig(ses.endpoint), maxAttempts: 1 });
    const tricky = `"quotes" \\ back\\slash \u0001\t\n é ü 中文 😀 \ud800 lone </script>`;
    const input = (templateName: string): SendBulkEmailCommandInput => ({
      FromEmailAddress: "Rally <a@rally.test>",
      DefaultContent: {
        Template: { TemplateName: templateName, TemplateData: JSON.stringify({ v: tricky }) },
      },
      BulkEmailEntries: [0, 1].map((i) => ({
        Destination: { ToAddresses: [`user${i}@example.com`] },
        ReplacementEmailContent: {
          ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ s: tricky, i }) },
        },
        ReplacementHeaders: [{ Name: "List-Unsubscribe", Value: `<https://rally.test/u/${i}>` }],
        ReplacementTags: [{ Name: "rally-recipient", Value: `r${i}` }],
      })),
    });
    try {
      const ours = await wireBody(app, input("no-such-template"));
      const theirs = await wireBody(sdkDefault, input("no-such-template"));
      expect(ours.body.toString("utf8")).toBe(theirs.body.toString("utf8"));
      expect(ours.body.equals(theirs.body)).toBe(true);
      expect(JSON.parse(ours.body.toString("utf8")).BulkEmailEntries[0].ReplacementEmailContent).toEqual({
        ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ s: tricky, i: 0 }) },
      });
      // Both decode the emulator's 404 into the same typed error the mailer classifies.
      expect(ours.answer).toBeInstanceOf(Error);
      expect((ours.answer as Error).name).toBe((theirs.answer as Error).name);
      expect(classifySesError(ours.answer)).toBe("template-missing");
    } finally {
      app.destroy();
      sdkDefault.destroy();
    }
  });
});
