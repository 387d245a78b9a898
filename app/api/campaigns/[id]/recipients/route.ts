import { listCampaignRecipients } from "@/lib/campaigns/get-campaign";
import { CampaignIdParams, RecipientsQuery } from "@/lib/campaigns/schemas";
import { apiRoute, reply } from "@/lib/http/route";

export const GET = apiRoute({
  scope: "read",
  params: CampaignIdParams,
  query: RecipientsQuery,
  handler: async ({ ctx, params, query }) =>
    reply(200, await listCampaignRecipients({ ctx, input: { id: params.id, ...query } })),
});
