import { recordMessageEvent } from "@/lib/analytics/record-message-event";
import { type Registration, type Utm } from "@/lib/events/schemas";
import { verifyToken } from "@/lib/tracking/tokens";

/*
 * Registration attribution: a registration carries the landing URL's utm_* values and, when the visitor came
 * through a tracked campaign link, that link's signed click token (`rt`). A token that verifies links the
 * registration to its campaign and message; a forged or foreign one is stored but links nothing.
 * No "server-only": imported by the register verb, which tsx scripts (seeding) also run.
 */

/** The message a campaign sent one recipient. One message per (campaign, recipient). */
export function messageIdFor(campaignId: string, recipientId: string): string {
  return `${campaignId}:${recipientId}`;
}

export interface Attribution {
  campaignId?: string;
  messageId?: string;
  recipientId?: string;
  /** UTM values counted in analytics: the signed token's when it verifies, else the URL's. */
  utm: { source?: string; medium?: string; campaign?: string };
}

/** Resolves what a registration is attributed to. Never throws on untrusted tokens. */
export function attribute(utm: Utm | undefined, campaignToken: string | undefined): Attribution {
  const claims = campaignToken ? verifyToken(campaignToken, "click") : null;
  if (!claims) return { utm: { source: utm?.source, medium: utm?.medium, campaign: utm?.campaign } };
  return {
    campaignId: claims.campaignId,
    recipientId: claims.recipientId,
    messageId: messageIdFor(claims.campaignId, claims.recipientId),
    utm: { source: claims.utm.source, medium: claims.utm.medium, campaign: claims.utm.campaign },
  };
}

/** Status-event id of a registration: one per (event, user, registration time), so redelivery is a no-op. */
export function registrationStatusEventId(
  reg: Pick<Registration, "eventId" | "userId" | "registeredAt">,
): string {
  return `reg:${reg.eventId}:${reg.userId}:${Date.parse(reg.registeredAt)}`;
}

/**
 * Counts a stored registration in analytics (`registered`, attributed to its campaign/UTM and event).
 * A failure is logged, not thrown: the registration itself already succeeded.
 */
export async function recordRegistration(reg: Registration): Promise<void> {
  const { utm, recipientId } = attribute(reg.utm, reg.campaignToken);
  try {
    await recordMessageEvent({
      eventId: registrationStatusEventId(reg),
      type: "registered",
      at: reg.registeredAt,
      eventIdOfEvent: reg.eventId,
      utm,
      ...(reg.campaignId ? { campaignId: reg.campaignId } : {}),
      ...(reg.messageId ? { messageId: reg.messageId } : {}),
      ...(recipientId ? { recipientId } : {}),
    });
  } catch (error) {
    console.error("analytics: could not record registration", {
      eventId: reg.eventId,
      userId: reg.userId,
      error,
    });
  }
}
