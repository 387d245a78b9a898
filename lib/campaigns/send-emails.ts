import { randomUUID } from "node:crypto";

import { slugify } from "@/lib/campaigns/manage-campaign";
import { resolveRecipients } from "@/lib/campaigns/resolve-recipients";
import { type SendEmailsInput } from "@/lib/campaigns/schemas";
import { sendCampaign } from "@/lib/campaigns/send-campaign";
import { type Ctx, requireScope } from "@/lib/context";
import { createCampaignRecord, freezeRecipients } from "@/lib/db/campaigns-repo";

export interface SendEmailsResult {
  /** Null when the audience matched nobody: no campaign is created. */
  campaignId: string | null;
  recipients: number;
  message: string;
}

/**
 * The original service's one-shot send: resolves the audience now, and unless it is empty creates a
 * campaign, freezes exactly those recipients and sends it through the outbox. An empty audience is not an
 * error (nightly automations call this): nothing is created.
 * @throws ValidationError for a bad filter; NotFoundError for an unknown segment; Unauthorized/ForbiddenError.
 */
export async function sendEmails({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SendEmailsInput;
}): Promise<SendEmailsResult> {
  requireScope(ctx, "write");
  const recipients = await resolveRecipients(input.audience);
  if (recipients.length === 0) {
    return { campaignId: null, recipients: 0, message: "No users matched the filter; nothing was queued" };
  }
  const createdAt = new Date().toISOString();
  const name =
    input.name ?? `${input.subject.slice(0, 150)} (${createdAt.slice(0, 16).replace("T", " ")} UTC)`;
  const id = `cmp_${randomUUID()}`;
  await createCampaignRecord({
    id,
    name,
    subject: input.subject,
    body: input.body,
    utm: {
      source: input.utm.source ?? "rally",
      medium: input.utm.medium ?? "email",
      campaign: input.utm.campaign ?? slugify(input.subject),
    },
    ...(input.eventId ? { eventId: input.eventId } : {}),
    createdAt,
  });
  const frozen = await freezeRecipients(id, recipients);
  await sendCampaign({ ctx, input: { campaignId: id } });
  return { campaignId: id, recipients: frozen, message: `Queued email to ${frozen} users` };
}
