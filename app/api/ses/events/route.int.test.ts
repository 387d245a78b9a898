import { describe, expect, it } from "vitest";

import { POST } from "@/app/api/ses/events/route";
import { DynamoRecipientStore } from "@/lib/db/campaign-recipients-repo";
import { setupIntegration } from "@/test/integration";

const SECRET = "test-ses-events-secret-0123456789";
process.env.SES_EVENTS_SECRET = SECRET;
const TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";
process.env.SES_EVENTS_TOPIC_ARNS = TOPIC;
setupIntegration();

let seq = 0;
function sns(message: unknown, type = "Notification", topicArn = TOPIC) {
  return {
    Type: type,
    MessageId: `sns-${++seq}`,
    TopicArn: topicArn,
    Message: typeof message === "string" ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    ...(type === "SubscriptionConfirmation"
      ? { SubscribeURL: "https://sns.us-east-1.amazonaws.com/?x", Token: "t" }
      : {}),
  };
}

function post(body: unknown, secret: string | null = SECRET, via: "header" | "query" = "header") {
  const url = `http://127.0.0.1/api/ses/events${secret && via === "query" ? `?secret=${secret}` : ""}`;
  return POST(
    new Request(url, {
      method: "POST",
      headers: {
        "content-type": "text/plain; charset=UTF-8",
        ...(secret && via === "header" ? { "x-rally-ses-secret": secret } : {}),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

const mail = (to: string) => ({
  messageId: "ses-1",
  destination: [to],
  tags: { "rally-campaign": ["cmp_1"], "rally-recipient": ["u1"] },
});

describe("POST /api/ses/events", () => {
  it("suppresses a permanently bounced address, not a transient one", async () => {
    const store = new DynamoRecipientStore();
    const hard = await post(
      sns({
        eventType: "Bounce",
        mail: mail("hard@example.com"),
        bounce: {
          bounceType: "Permanent",
          bounceSubType: "General",
          bouncedRecipients: [{ emailAddress: "Hard@Example.com" }],
        },
      }),
    );
    expect(hard.status).toBe(200);
    expect(await hard.json()).toMatchObject({
      type: "Bounce",
      suppressed: ["Hard@Example.com"],
      recorded: 1,
    });
    expect(await store.isSuppressed(["hard@example.com"])).toEqual(new Set(["hard@example.com"]));

    const soft = await post(
      sns({
        notificationType: "Bounce",
        mail: mail("soft@example.com"),
        bounce: { bounceType: "Transient", bouncedRecipients: [{ emailAddress: "soft@example.com" }] },
      }),
      SECRET,
      "query",
    );
    expect(soft.status).toBe(200);
    expect((await store.isSuppressed(["soft@example.com"])).size).toBe(0);
  });

  it("suppresses complaints and counts a delivery once across redeliveries", async () => {
    const complaint = await post(
      sns({
        eventType: "Complaint",
        mail: mail("angry@example.com"),
        complaint: { complainedRecipients: [{ emailAddress: "angry@example.com" }] },
      }),
    );
    expect(complaint.status).toBe(200);
    expect((await new DynamoRecipientStore().isSuppressed(["angry@example.com"])).size).toBe(1);
    const delivery = sns({
      eventType: "Delivery",
      mail: mail("ok@example.com"),
      delivery: { recipients: ["ok@example.com"] },
    });
    expect(await (await post(delivery)).json()).toMatchObject({ type: "Delivery", recorded: 1 });
    expect(await (await post(delivery)).json()).toMatchObject({ recorded: 0 });
  });

  it("answers subscription confirmations without fetching the URL", async () => {
    const res = await post(sns("You have chosen to subscribe", "SubscriptionConfirmation"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: "SubscriptionConfirmation" });
  });

  it("401s a message or subscription from a topic outside SES_EVENTS_TOPIC_ARNS and suppresses nothing", async () => {
    const foreign = "arn:aws:sns:us-east-1:999999999999:ses-events";
    const res = await post(
      sns(
        {
          eventType: "Complaint",
          mail: mail("victim@example.com"),
          complaint: { complainedRecipients: [{ emailAddress: "victim@example.com" }] },
        },
        "Notification",
        foreign,
      ),
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      code: "unauthorized",
      detail: expect.stringMatching(/TopicArn/),
    });
    expect((await new DynamoRecipientStore().isSuppressed(["victim@example.com"])).size).toBe(0);
    expect((await post(sns("subscribe?", "SubscriptionConfirmation", foreign))).status).toBe(401);
  });

  it("401s a missing or wrong secret and 400s malformed bodies", async () => {
    const event = sns({
      eventType: "Complaint",
      mail: mail("x@example.com"),
      complaint: { complainedRecipients: [{ emailAddress: "x@example.com" }] },
    });
    expect((await post(event, null)).status).toBe(401);
    expect((await post(event, "wrong-secret-wrong-secret")).status).toBe(401);
    expect((await new DynamoRecipientStore().isSuppressed(["x@example.com"])).size).toBe(0);
    expect((await post("{not json")).status).toBe(400);
    expect((await post({ Type: "Notification" })).status).toBe(400);
    expect((await post(sns("not an ses event"))).status).toBe(400);
    expect((await post(sns({ eventType: "Bounce" }))).status).toBe(400);
    const problem = await post({ hello: "world" });
    expect(problem.headers.get("content-type")).toBe("application/problem+json");
  });
});
