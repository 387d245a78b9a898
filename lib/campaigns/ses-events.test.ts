import { generateKeyPairSync, sign } from "node:crypto";

import { afterEach, describe, expect, it, vi } from "vitest";

import {
  authenticateSnsMessage,
  isSnsCertUrl,
  snsStringToSign,
  type SnsEnvelope,
  verifySnsSignature,
} from "@/lib/campaigns/ses-events";
import { EnvSchema } from "@/lib/env";
import { UnauthorizedError } from "@/lib/errors";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
const CERT = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem";

function signed(
  m: Omit<SnsEnvelope, "Signature" | "SignatureVersion" | "SigningCertURL">,
  version: "1" | "2",
) {
  const base = { ...m, SignatureVersion: version, SigningCertURL: CERT } as SnsEnvelope;
  const signature = sign(version === "2" ? "sha256" : "sha1", Buffer.from(snsStringToSign(base)), privateKey);
  return { ...base, Signature: signature.toString("base64") };
}

const notification = {
  Type: "Notification" as const,
  MessageId: "m-1",
  TopicArn: "arn:aws:sns:eu-west-1:123:ses-events",
  Message: '{"eventType":"Delivery"}',
  Timestamp: "2026-11-25T10:00:00.000Z",
};

describe("SNS signature verification", () => {
  it("builds the documented string to sign per message type", () => {
    expect(snsStringToSign(notification as SnsEnvelope)).toBe(
      'Message\n{"eventType":"Delivery"}\nMessageId\nm-1\nTimestamp\n2026-11-25T10:00:00.000Z\nTopicArn\narn:aws:sns:eu-west-1:123:ses-events\nType\nNotification\n',
    );
    const confirm = {
      ...notification,
      Type: "SubscriptionConfirmation",
      SubscribeURL: "https://x",
      Token: "t",
    };
    expect(snsStringToSign(confirm as SnsEnvelope)).toContain("SubscribeURL\nhttps://x\nTimestamp");
  });

  it("accepts SHA1 and SHA256 signatures from the certificate, rejects tampering", async () => {
    const getCert = async () => pem;
    await expect(verifySnsSignature(signed(notification, "1"), getCert)).resolves.toBeUndefined();
    await expect(verifySnsSignature(signed(notification, "2"), getCert)).resolves.toBeUndefined();
    const tampered = { ...signed(notification, "2"), Message: '{"eventType":"Bounce"}' };
    await expect(verifySnsSignature(tampered, getCert)).rejects.toBeInstanceOf(UnauthorizedError);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({
      type: "spki",
      format: "pem",
    });
    await expect(
      verifySnsSignature(signed(notification, "2"), async () => other.toString()),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("fetches certificates only from https sns.<region>.amazonaws.com", async () => {
    expect(isSnsCertUrl(CERT)).toBe(true);
    expect(isSnsCertUrl("https://sns.cn-north-1.amazonaws.com.cn/x.pem")).toBe(true);
    for (const url of [
      "http://sns.eu-west-1.amazonaws.com/x.pem",
      "https://sns.eu-west-1.amazonaws.com.evil.test/x.pem",
      "https://evil.test/sns.eu-west-1.amazonaws.com/x.pem",
      "https://sns.eu-west-1.amazonaws.com:8443/x.pem",
      "https://sns.eu-west-1.amazonaws.com/x.txt",
      "not a url",
    ])
      expect(isSnsCertUrl(url), url).toBe(false);
    let fetched = false;
    const evil = { ...signed(notification, "2"), SigningCertURL: "https://evil.test/cert.pem" };
    await expect(
      verifySnsSignature(evil, async () => {
        fetched = true;
        return pem;
      }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(fetched).toBe(false);
  });
});

describe("SNS topic allow-list (SES_EVENTS_TOPIC_ARNS)", () => {
  const OURS = "arn:aws:sns:eu-west-1:123456789012:ses-events";
  const ours = { ...notification, TopicArn: OURS };
  const FOREIGN = "arn:aws:sns:eu-west-1:999999999999:ses-events";
  const SECRET = "unit-test-ses-events-secret-0123";
  const production = (arns?: string) =>
    EnvSchema.parse({ NODE_ENV: "production", SES_EVENTS_TOPIC_ARNS: arns });
  const local = (arns?: string) =>
    EnvSchema.parse({
      NODE_ENV: "development",
      DYNAMODB_ENDPOINT: "http://127.0.0.1:8000",
      SES_EVENTS_SECRET: SECRET,
      SES_EVENTS_TOPIC_ARNS: arns,
    });
  const body = (m: object) => JSON.stringify(m);

  afterEach(() => vi.restoreAllMocks());

  it("parses the comma-separated list and rejects entries that are not topic ARNs", () => {
    expect(
      production(` ${OURS} , arn:aws-cn:sns:cn-north-1:123456789012:b.fifo,`).SES_EVENTS_TOPIC_ARNS,
    ).toEqual([OURS, "arn:aws-cn:sns:cn-north-1:123456789012:b.fifo"]);
    expect(production(" , ").SES_EVENTS_TOPIC_ARNS).toBeUndefined();
    expect(production().SES_EVENTS_TOPIC_ARNS).toBeUndefined();
    for (const bad of [
      "ses-events",
      `${OURS}:0b6941c4-f150-4c65-a87e-d1e3d8d4b0a8`,
      "arn:aws:sqs:eu-west-1:123:q",
    ])
      expect(EnvSchema.safeParse({ SES_EVENTS_TOPIC_ARNS: bad }).success, bad).toBe(false);
  });

  it("accepts a signed message from a listed topic", async () => {
    const env = production(`arn:aws:sns:us-east-1:111111111111:other,${OURS}`);
    const m = signed(ours, "2");
    await expect(
      authenticateSnsMessage(body(m), { secret: null }, { env, getCert: async () => pem }),
    ).resolves.toMatchObject({ TopicArn: OURS });
  });

  it("refuses a correctly signed message or subscription from another topic, before fetching a certificate", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const env = production(OURS);
    let fetched = false;
    const getCert = async () => {
      fetched = true;
      return pem;
    };
    const confirm = {
      ...notification,
      Type: "SubscriptionConfirmation" as const,
      SubscribeURL: "https://x",
      Token: "t",
    };
    for (const m of [
      signed({ ...notification, TopicArn: FOREIGN }, "2"),
      signed({ ...confirm, TopicArn: FOREIGN }, "1"),
    ]) {
      const attempt = authenticateSnsMessage(body(m), { secret: null }, { env, getCert });
      await expect(attempt).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(attempt).rejects.toThrow(/TopicArn is not listed in SES_EVENTS_TOPIC_ARNS/);
    }
    expect(fetched).toBe(false);
  });

  it("applies the list locally too (shared secret)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const env = local(OURS);
    await expect(authenticateSnsMessage(body(ours), { secret: SECRET }, { env })).resolves.toMatchObject({
      TopicArn: OURS,
    });
    await expect(
      authenticateSnsMessage(body({ ...notification, TopicArn: FOREIGN }), { secret: SECRET }, { env }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it("unset: accepts any topic, warning once per process in production and not at all locally", async () => {
    vi.resetModules();
    const fresh = await import("@/lib/campaigns/ses-events");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await expect(
      fresh.authenticateSnsMessage(
        body({ ...notification, TopicArn: FOREIGN }),
        { secret: SECRET },
        { env: local() },
      ),
    ).resolves.toMatchObject({ TopicArn: FOREIGN });
    expect(warn).not.toHaveBeenCalled();
    for (const arn of [OURS, FOREIGN]) {
      const m = signed({ ...notification, TopicArn: arn }, "2");
      await expect(
        fresh.authenticateSnsMessage(
          body(m),
          { secret: null },
          { env: production(), getCert: async () => pem },
        ),
      ).resolves.toMatchObject({ TopicArn: arn });
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/SES_EVENTS_TOPIC_ARNS is not set/);
  });
});
