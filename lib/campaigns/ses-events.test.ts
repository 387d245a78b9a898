import { generateKeyPairSync, sign } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  isSnsCertUrl,
  snsStringToSign,
  type SnsEnvelope,
  verifySnsSignature,
} from "@/lib/campaigns/ses-events";
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
