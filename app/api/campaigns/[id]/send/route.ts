import { CampaignIdParams, SendCampaignInput } from "@/lib/campaigns/schemas";
import { sendCampaign } from "@/lib/campaigns/send-campaign";
import { readBodyText } from "@/lib/http/body";
import { apiRoute, reply } from "@/lib/http/route";

const send = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  body: SendCampaignInput,
  handler: async ({ ctx, params, body }) =>
    reply(202, await sendCampaign({ ctx, input: { campaignId: params.id, ...body } })),
});

const sendNow = apiRoute({
  scope: "write",
  params: CampaignIdParams,
  handler: async ({ ctx, params }) =>
    reply(202, await sendCampaign({ ctx, input: { campaignId: params.id } })),
});

/** The body is optional (`{scheduledAt}`); an empty POST sends now. */
export async function POST(request: Request, context: { params: Promise<Record<string, string>> }) {
  const hasBody = request.headers.get("content-length") !== "0" && request.body !== null;
  if (!hasBody) return sendNow(request, context);
  const text = await readBodyText(request.clone()).catch(() => "x");
  return text.trim() === "" ? sendNow(request, context) : send(request, context);
}
