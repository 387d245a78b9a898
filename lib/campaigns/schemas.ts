import { z } from "zod";

import { validateTemplate } from "@/lib/campaigns/template";

/*
 * Pure zod schemas for campaigns, shared by the HTTP API, forms and the delivery engine.
 * Safe to import from client components (no server code).
 */

/** Subject + body as the organizer writes them; unknown variables are rejected here, at save time. */
export const CampaignContent = z
  .object({
    subject: z.string().trim().min(1).max(200),
    body: z.string().min(1).max(50_000),
  })
  .superRefine((value, ctx) => {
    for (const issue of validateTemplate(value)) {
      ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
    }
  });
export type CampaignContent = z.infer<typeof CampaignContent>;

export const UtmSettings = z.object({
  source: z.string().trim().min(1).max(100).default("rally"),
  medium: z.string().trim().min(1).max(100).default("email"),
  /** Defaults to a slug of the campaign name when created through the API. */
  campaign: z.string().trim().min(1).max(100),
});
export type UtmSettings = z.infer<typeof UtmSettings>;

/** Lifecycle of a campaign. `paused` is set by hand or by the failure-rate breaker; resuming re-sends the event. */
export const CampaignStatus = z.enum(["draft", "sending", "paused", "completed", "cancelled"]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * Per-recipient delivery state. pending → sending (claimed, leased) → sent | failed; pending → suppressed |
 * skipped; sending whose lease expired → unknown (never re-sent automatically).
 */
export const RecipientStatus = z.enum([
  "pending",
  "sending",
  "sent",
  "failed",
  "suppressed",
  "skipped",
  "unknown",
]);
export type RecipientStatus = z.infer<typeof RecipientStatus>;

export const TERMINAL_STATUSES = ["sent", "failed", "suppressed", "skipped", "unknown"] as const;

/** Status-change events recorded per message for analytics. `queued` = claimed for a send attempt. */
export const MessageEventType = z.enum([
  "queued",
  "sent",
  "failed",
  "throttled",
  /** A transient failure that will be retried; `failed` is only ever final. */
  "retrying",
  "suppressed",
  "skipped",
  "unknown",
  "campaign_paused",
  "campaign_completed",
]);
export type MessageEventType = z.infer<typeof MessageEventType>;

/** Payload of the `campaign/send.requested` event (outbox relay → Inngest or the local runner). */
export const SendRequestedData = z.object({
  campaignId: z.string().min(1),
  /** Idempotency key: one outbox row → one fan-out run. Continuations append `/part-N`. */
  outboxId: z.string().min(1),
});
export type SendRequestedData = z.infer<typeof SendRequestedData>;
