import { createServer, type Server } from "node:net";

import { ListTablesCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { afterEach, describe, expect, it } from "vitest";

import { localClientConfig, PortInUseError, startLocalAws, type LocalAws } from "@/dev/local-aws";

let aws: LocalAws | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  await aws?.stop();
  aws = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

async function occupyPort(): Promise<number> {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker!.listen(0, "127.0.0.1", resolve));
  return (blocker.address() as { port: number }).port;
}

describe("startLocalAws", () => {
  it("serves DynamoDB and SES on loopback ports and stops idempotently", async () => {
    aws = await startLocalAws();
    expect(aws.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.sesEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ddb = new DynamoDBClient(localClientConfig(aws.dynamoEndpoint));
    expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    ddb.destroy();

    const ses = new SESv2Client(localClientConfig(aws.sesEndpoint));
    const to = `local-aws-${Date.now()}@example.test`;
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "events@rally.local",
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: "Hi" }, Body: { Text: { Data: "Hello" } } } },
      }),
    );
    ses.destroy();
    const store = (await (await fetch(`${aws.sesEndpoint}/store`)).json()) as {
      emails: { destination: { to: string[] } }[];
    };
    expect(store.emails.filter((e) => e.destination.to.includes(to))).toHaveLength(1);

    const { dynamoEndpoint } = aws;
    await Promise.all([aws.stop(), aws.stop()]);
    await aws.stop();
    await expect(fetch(dynamoEndpoint)).rejects.toThrow();
  });

  it("names the busy DynamoDB port and the variable to change it", async () => {
    const port = await occupyPort();
    const err = await startLocalAws({ dynamoPort: port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toBe(
      `Port ${port} (DynamoDB) is already in use: stop the other process or choose another port with DYNAMODB_PORT.`,
    );
  });

  it("names the busy SES port and leaves nothing running", async () => {
    const port = await occupyPort();
    const err = await startLocalAws({ sesPort: port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortInUseError);
    expect((err as Error).message).toContain(`Port ${port} (SES)`);
    expect((err as Error).message).toContain("SES_PORT");
  });
});
