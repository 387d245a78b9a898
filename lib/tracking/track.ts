import { randomUUID } from "node:crypto";

import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { messageIdFor } from "@/lib/attribution/attribute";
import { resolveClick, resolveOpen, resolveUnsubscribe } from "@/lib/campaigns/links";
import { getCampaign } from "@/lib/db/campaigns-repo";
import { addSuppression } from "@/lib/db/suppressions-repo";
import { getCampaignRecipient } from "@/lib/db/campaign-recipients-repo";
import { classifyClick, classifyOpen, type BotVerdict } from "@/lib/tracking/bots";

/*
 * The verbs behind the public tracking routes: GET /o/<token> (pixel), GET /r/<token> (redirect),
 * GET+POST /u/<token> (one-click unsubscribe, RFC 8058). Each verifies the signed token first; an invalid
 * token records nothing and answers null, so routes reply 404 (never a redirect to an unsigned URL).
 * Public routes carry no user session, so these verbs take no Ctx: the token is the authorisation.
 */

const PROXY_REASONS = new Set([
  "google-image-proxy",
  "yahoo-mail-proxy",
  "outlook-proxy",
  "apple-mail-privacy-protection",
]);

function flags(verdict: BotVerdict) {
  const privacyProxy = verdict.reasons.some((r) => PROXY_REASONS.has(r));
  return { bot: verdict.bot && !privacyProxy, privacyProxy };
}

async function dims(campaignId: string) {
  const campaign = await getCampaign(campaignId);
  return {
    ...(campaign ? { utm: { ...campaign.utm } } : {}),
    ...(campaign?.eventId ? { eventIdOfEvent: campaign.eventId } : {}),
  };
}

export interface TrackInput {
  token: string;
  userAgent?: string | null;
  at?: Date;
}

/**
 * Records an open (flagged when a privacy proxy or bot fetched the pixel). False for an invalid token.
 * @throws UnavailableError when DynamoDB stays busy.
 */
export async function trackOpen({ token, userAgent, at = new Date() }: TrackInput): Promise<boolean> {
  const claims = resolveOpen(token);
  if (!claims) return false;
  const { campaignId, recipientId } = claims;
  await recordMessageEvent({
    eventId: `open:${randomUUID()}`,
    type: "opened",
    at: at.toISOString(),
    campaignId,
    recipientId,
    messageId: messageIdFor(campaignId, recipientId),
    flags: flags(classifyOpen({ userAgent })),
    ...(await dims(campaignId)),
  });
  return true;
}

/**
 * Records a click and answers where to redirect (the original URL with UTM), or null for an invalid token.
 * Clicks within 10 s of delivery or from link scanners are flagged, not dropped. A valid link redirects even
 * when recording fails (logged), so a DynamoDB hiccup never strands a visitor.
 */
export async function trackClick({ token, userAgent, at = new Date() }: TrackInput): Promise<string | null> {
  const resolved = resolveClick(token);
  if (!resolved) return null;
  try {
    await recordClick(resolved.claims, userAgent, at);
  } catch (error) {
    // The signed link is valid: the visitor still gets where they were going; only the count is lost.
    console.error("[tracking] click not recorded", error);
  }
  return resolved.location;
}

async function recordClick(
  { campaignId, recipientId, utm }: NonNullable<ReturnType<typeof resolveClick>>["claims"],
  userAgent: string | null | undefined,
  at: Date,
): Promise<void> {
  const [recipient, campaign] = await Promise.all([
    getCampaignRecipient(campaignId, recipientId),
    getCampaign(campaignId),
  ]);
  const verdict = classifyClick({ userAgent, deliveredAt: recipient?.sentAt ?? null, clickedAt: at });
  await recordMessageEvent({
    eventId: `click:${randomUUID()}`,
    type: "clicked",
    at: at.toISOString(),
    campaignId,
    recipientId,
    messageId: messageIdFor(campaignId, recipientId),
    flags: flags(verdict),
    utm: { source: utm.source, medium: utm.medium, campaign: utm.campaign },
    ...(campaign?.eventId ? { eventIdOfEvent: campaign.eventId } : {}),
  });
}

/**
 * One-click unsubscribe: suppresses the recipient's address for all future campaigns (idempotent) and counts
 * one `unsubscribed` per recipient and campaign. False for an invalid token or an unknown recipient.
 * @throws UnavailableError when DynamoDB stays busy.
 */
export async function unsubscribe({
  token,
  at = new Date(),
}: Omit<TrackInput, "userAgent">): Promise<boolean> {
  const claims = resolveUnsubscribe(token);
  if (!claims) return false;
  const { campaignId, recipientId } = claims;
  const recipient = await getCampaignRecipient(campaignId, recipientId);
  if (!recipient) return false;
  await addSuppression(recipient.email, `unsubscribed via campaign ${campaignId}`);
  await recordMessageEvent({
    eventId: `${campaignId}:${recipientId}:unsubscribed`,
    type: "unsubscribed",
    at: at.toISOString(),
    campaignId,
    recipientId,
    messageId: messageIdFor(campaignId, recipientId),
    ...(await dims(campaignId)),
  });
  return true;
}
