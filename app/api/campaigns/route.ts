import { listCampaigns } from "@/lib/campaigns/get-campaign";
import { createCampaign } from "@/lib/campaigns/manage-campaign";
import { CreateCampaignInput } from "@/lib/campaigns/schemas";
import { apiRoute, reply } from "@/lib/http/route";
import { PageQuery } from "@/lib/schemas/common";

export const POST = apiRoute({
  scope: "write",
  body: CreateCampaignInput,
  handler: async ({ ctx, body }) => reply(201, await createCampaign({ ctx, input: body })),
});

export const GET = apiRoute({
  scope: "read",
  query: PageQuery,
  handler: async ({ ctx, query }) => reply(200, await listCampaigns({ ctx, input: query })),
});
