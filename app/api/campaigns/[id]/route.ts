import { getCampaignView } from "@/lib/campaigns/get-campaign";
import { deleteCampaign, updateCampaign } from "@/lib/campaigns/manage-campaign";
import { CampaignIdParams, UpdateCampaignInput } from "@/lib/campaigns/schemas";
import { apiRoute, noContent, reply } from "@/lib/http/route";

export const GET = apiRoute({
  scope: "read",
  params: CampaignIdParams,
  handler: async ({ ctx, params }) => reply(200, await getCampaignView({ ctx, input: params })),
});

export const PATCH = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  body: UpdateCampaignInput,
  handler: async ({ ctx, params, body }) =>
    reply(200, await updateCampaign({ ctx, input: { id: params.id, changes: body } })),
});

export const DELETE = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  handler: async ({ ctx, params }) => {
    await deleteCampaign({ ctx, input: params });
    return noContent();
  },
});
