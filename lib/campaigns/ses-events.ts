import { createHash, timingSafeEqual, verify } from "node:crypto";

import { z } from "zod";

import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { messageIdFor } from "@/lib/attribution/attribute";
import { addSuppression } from "@/lib/db/suppressions-repo";
import { getEnv, usesLocalAws, type Env } from "@/lib/env";
import { UnauthorizedError, ValidationError } from "@/lib/errors";

/*
 * SES delivery notifications arriving through SNS (HTTP/S subscription) at POST /api/ses/events.
 * Authenticity: in production the SNS signature is verified (certificate fetched only from an https
 * sns.<region>.amazonaws.com host, RSA-SHA1 for SignatureVersion 1, RSA-SHA256 for 2); locally and in tests
 * a shared secret (SES_EVENTS_SECRET) stands in, because nothing local can sign like SNS.
 * A signature only proves that SNS sent the message, not that it came from our topic: any AWS account can
 * subscribe this endpoint to its own topic. SES_EVENTS_TOPIC_ARNS therefore limits which TopicArn is accepted.
 * Bounces (Permanent) and complaints suppress the address; delivery, bounce and complaint are counted
 * through the analytics ingest when the message carries Rally's tags (campaign and recipient ids).
 */

export const SnsEnvelope = z.object({
  Type: z.enum(["SubscriptionConfirmation", "Notification", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  Subject: z.string().optional(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
  SignatureVersion: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertURL: z.string().optional(),
});
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

const Recipients = z.array(z.object({ emailAddress: z.string() }).loose());

/** The SES event inside a Notification (event publishing `eventType` or identity `notificationType`). */
export const SesEvent = z
  .object({
    eventType: z.string().optional(),
    notificationType: z.string().optional(),
    mail: z
      .object({
        messageId: z.string(),
        destination: z.array(z.string()).default([]),
        tags: z.record(z.string(), z.array(z.string())).optional(),
      })
      .loose(),
    bounce: z
      .object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: Recipients })
      .loose()
      .optional(),
    complaint: z.object({ complainedRecipients: Recipients }).loose().optional(),
    delivery: z
      .object({ recipients: z.array(z.string()).default([]) })
      .loose()
      .optional(),
  })
  .loose();
export type SesEvent = z.infer<typeof SesEvent>;

/** SES message tags Rally sets on every campaign message (see lib/campaigns/fanout.ts). */
export const TAG_CAMPAIGN = "rally-campaign";
export const TAG_RECIPIENT = "rally-recipient";

const CERT_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** The text SNS signs, per message type (keys in byte order, each followed by its value, newline-ended). */
export function snsStringToSign(m: SnsEnvelope): string {
  const keys =
    m.Type === "Notification"
      ? [
          "Message",
          "MessageId",
          ...(m.Subject !== undefined ? ["Subject"] : []),
          "Timestamp",
          "TopicArn",
          "Type",
        ]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return keys.map((k) => `${k}\n${(m as Record<string, string | undefined>)[k] ?? ""}\n`).join("");
}

/** True when the URL may serve an SNS signing certificate (https, an sns.<region>.amazonaws.com host, .pem). */
export function isSnsCertUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && CERT_HOST.test(u.hostname) && u.pathname.endsWith(".pem") && !u.port;
  } catch {
    return false;
  }
}

export type CertFetcher = (url: string) => Promise<string>;

const certCache = new Map<string, Promise<string>>();
const fetchCert: CertFetcher = (url) => {
  let pem = certCache.get(url);
  if (!pem) {
    pem = fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "error" }).then(async (res) => {
      if (!res.ok) throw new Error(`certificate fetch answered ${res.status}`);
      return res.text();
    });
    pem.catch(() => certCache.delete(url));
    certCache.set(url, pem);
  }
  return pem;
};

/**
 * Verifies an SNS message signature with node:crypto.
 * @throws UnauthorizedError when the certificate URL is not SNS's or the signature does not match.
 */
export async function verifySnsSignature(m: SnsEnvelope, getCert: CertFetcher = fetchCert): Promise<void> {
  if (!isSnsCertUrl(m.SigningCertURL))
    throw new UnauthorizedError("SigningCertURL is not an SNS certificate URL.");
  const algorithm = m.SignatureVersion === "2" ? "sha256" : m.SignatureVersion === "1" ? "sha1" : null;
  if (!algorithm || !m.Signature) throw new UnauthorizedError("Unsupported or missing SNS signature.");
  let ok = false;
  try {
    const pem = await getCert(m.SigningCertURL!);
    ok = verify(algorithm, Buffer.from(snsStringToSign(m), "utf8"), pem, Buffer.from(m.Signature, "base64"));
  } catch (error) {
    console.warn("[ses-events] signature check failed", error);
  }
  if (!ok) throw new UnauthorizedError("SNS signature does not verify.");
}

function sameSecret(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Production (real AWS) verifies signatures; local stand-ins and tests use the shared secret. */
export function usesSignatureCheck(env: Env = getEnv()): boolean {
  return env.NODE_ENV === "production" && !usesLocalAws(env);
}

let warnedNoTopicList = false;

/**
 * Refuses a message from a topic outside SES_EVENTS_TOPIC_ARNS. Unset, everything is accepted so that an
 * upgrade does not silently drop a working production feed; production then warns once per process.
 * @throws UnauthorizedError for a TopicArn not in the configured list.
 */
export function checkTopicArn(m: SnsEnvelope, env: Env = getEnv()): void {
  const allowed = env.SES_EVENTS_TOPIC_ARNS;
  if (!allowed) {
    if (usesSignatureCheck(env) && !warnedNoTopicList) {
      warnedNoTopicList = true;
      console.warn(
        "[ses-events] SES_EVENTS_TOPIC_ARNS is not set: SNS messages from any topic are accepted, including " +
          "topics in other AWS accounts. Set it to your SES event topic ARN(s).",
      );
    }
    return;
  }
  if (!allowed.includes(m.TopicArn)) {
    // The ARN is caller-supplied, so the log gets a bounded copy.
    console.warn(`[ses-events] refused a message from topic ${m.TopicArn.slice(0, 300)}`);
    throw new UnauthorizedError("The message's TopicArn is not listed in SES_EVENTS_TOPIC_ARNS.");
  }
}

/**
 * Parses and authenticates one POST body.
 * @throws ValidationError for a body that is not an SNS message; UnauthorizedError for a bad secret/signature
 * or a TopicArn outside SES_EVENTS_TOPIC_ARNS.
 */
export async function authenticateSnsMessage(
  raw: string,
  given: { secret: string | null },
  options: { env?: Env; getCert?: CertFetcher } = {},
): Promise<SnsEnvelope> {
  const env = options.env ?? getEnv();
  const signed = usesSignatureCheck(env);
  // Outside production the secret is checked before the body is even parsed.
  if (
    !signed &&
    (!env.SES_EVENTS_SECRET || !given.secret || !sameSecret(given.secret, env.SES_EVENTS_SECRET))
  ) {
    throw new UnauthorizedError("A valid SES events secret is required.");
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ValidationError("Body is not JSON.");
  }
  const parsed = SnsEnvelope.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      "Not an SNS message.",
      parsed.error.issues.map((i) => ({
        field: i.path.map(String).join(".") || "(root)",
        message: i.message,
      })),
    );
  }
  // Before the signature, so a foreign topic costs no certificate fetch.
  checkTopicArn(parsed.data, env);
  if (signed) await verifySnsSignature(parsed.data, options.getCert);
  return parsed.data;
}

export interface SesEventOutcome {
  type: string;
  suppressed: string[];
  recorded: number;
}

function tag(event: SesEvent, name: string): string | undefined {
  return event.mail.tags?.[name]?.[0];
}

/**
 * Applies one authenticated SNS message: logs a subscription confirmation (its URL is not fetched here;
 * confirm it in the console or with the logged URL), and for a Notification suppresses permanently bounced
 * and complaining addresses and counts delivered / bounced / complained once per SNS message and address.
 * @throws ValidationError when the Notification's Message is not an SES event; UnavailableError from DynamoDB.
 */
export async function handleSnsMessage(m: SnsEnvelope): Promise<SesEventOutcome> {
  if (m.Type !== "Notification") {
    console.info(`[ses-events] ${m.Type} for ${m.TopicArn}; confirm with: ${m.SubscribeURL ?? "(no URL)"}`);
    return { type: m.Type, suppressed: [], recorded: 0 };
  }
  let json: unknown;
  try {
    json = JSON.parse(m.Message);
  } catch {
    throw new ValidationError("Message is not JSON.", [
      { field: "Message", message: "Must be an SES event." },
    ]);
  }
  const parsed = SesEvent.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      "Message is not an SES event.",
      parsed.error.issues.map((i) => ({
        field: ["Message", ...i.path.map(String)].join("."),
        message: i.message,
      })),
    );
  }
  const event = parsed.data;
  const type = event.eventType ?? event.notificationType ?? "Unknown";
  const suppressed: string[] = [];
  let addresses: string[] = [];
  let analyticsType: "delivered" | "bounced" | "complained" | null = null;
  if (type === "Bounce" && event.bounce) {
    addresses = event.bounce.bouncedRecipients.map((r) => r.emailAddress);
    analyticsType = "bounced";
    if (event.bounce.bounceType === "Permanent") {
      for (const a of addresses)
        await addSuppression(a, `bounce: ${event.bounce.bounceSubType ?? "permanent"}`);
      suppressed.push(...addresses);
    }
  } else if (type === "Complaint" && event.complaint) {
    addresses = event.complaint.complainedRecipients.map((r) => r.emailAddress);
    analyticsType = "complained";
    for (const a of addresses) await addSuppression(a, "complaint");
    suppressed.push(...addresses);
  } else if (type === "Delivery") {
    addresses = event.delivery?.recipients ?? event.mail.destination;
    analyticsType = "delivered";
  }
  const campaignId = tag(event, TAG_CAMPAIGN);
  const recipientId = tag(event, TAG_RECIPIENT);
  let recorded = 0;
  if (analyticsType && campaignId && recipientId) {
    const result = await recordMessageEvent({
      // One count per recipient and type: SNS redeliveries and repeated notifications count once.
      eventId: `${campaignId}:${recipientId}:${analyticsType}`,
      type: analyticsType,
      at: new Date(Date.parse(m.Timestamp) || Date.now()).toISOString(),
      campaignId,
      recipientId,
      messageId: messageIdFor(campaignId, recipientId),
    });
    if (result.counted) recorded++;
  }
  return { type, suppressed, recorded };
}
