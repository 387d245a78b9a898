import { CampaignIdParams, TestSendInput } from "@/lib/campaigns/schemas";
import { sendTestCampaign } from "@/lib/campaigns/send-campaign";
import { apiRoute, reply } from "@/lib/http/route";

export const POST = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  body: TestSendInput,
  handler: async ({ ctx, params, body }) =>
    reply(200, await sendTestCampaign({ ctx, input: { campaignId: params.id, emails: body.emails } })),
});
