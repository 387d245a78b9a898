import { describe, expect, it } from "vitest";

import { getLocalRunner } from "@/inngest/local-runner";
import { getCampaignProgress, pauseCampaign, sendCampaign } from "@/lib/campaigns/send-campaign";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";
import { sesStoreReader } from "@/lib/email/test-ses-emulator";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();

describe("sendCampaign through the outbox and the in-process runner", () => {
  it("delivers every frozen recipient once and reports progress", async () => {
    const ses = sesStoreReader(fx.aws.sesEndpoint);
    await ses.clear();
    await createCampaignRecord({
      id: "verb-1",
      name: "Launch",
      subject: "Hi {{firstName|there}}",
      body: "Details: https://events.test/launch",
      utm: { source: "rally", medium: "email", campaign: "launch" },
      createdAt: new Date().toISOString(),
    });
    await freezeRecipients(
      "verb-1",
      Array.from({ length: 12 }, (_, i) => ({
        recipientId: `u${i}`,
        email: `v${i}@example.com`,
        firstName: `N${i}`,
      })),
    );

    const readOnly = { actor: { kind: "api_key" as const, keyId: "k", scopes: ["read" as const] } };
    await expect(sendCampaign({ ctx: readOnly, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const sent = await sendCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } });
    expect(sent.status).toBe("sending");
    await expect(sendCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await getLocalRunner().idle();
    expect(getLocalRunner().errors).toEqual([]);

    const emails = await ses.emails();
    expect(emails.map((e) => e.destination.to[0]).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `v${i}@example.com`).sort(),
    );
    const progress = await getCampaignProgress({ ctx: fx.ctx, input: { campaignId: "verb-1" } });
    expect(progress).toMatchObject({
      status: "completed",
      recipientCount: 12,
      counts: { sent: 12, pending: 0 },
    });
    await expect(pauseCampaign({ ctx: fx.ctx, input: { campaignId: "verb-1" } })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(pauseCampaign({ ctx: fx.ctx, input: { campaignId: "nope" } })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
