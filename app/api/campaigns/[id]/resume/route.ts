import { CampaignIdParams } from "@/lib/campaigns/schemas";
import { resumeCampaign } from "@/lib/campaigns/send-campaign";
import { getCampaignView } from "@/lib/campaigns/get-campaign";
import { apiRoute, reply } from "@/lib/http/route";

export const POST = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  handler: async ({ ctx, params }) => {
    await resumeCampaign({ ctx, input: { campaignId: params.id } });
    return reply(200, await getCampaignView({ ctx, input: params }));
  },
});
