import { SendEmailsInput } from "@/lib/campaigns/schemas";
import { sendEmails } from "@/lib/campaigns/send-emails";
import { apiRoute, reply } from "@/lib/http/route";

/** The original service's send: 202 with the campaign, or 200 with recipients 0 when nobody matched. */
export const POST = apiRoute({
  scope: "write",
  body: SendEmailsInput,
  handler: async ({ ctx, body }) => {
    const result = await sendEmails({ ctx, input: body });
    return reply(result.campaignId ? 202 : 200, result);
  },
});
