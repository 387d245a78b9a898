import {
  type CampaignStatus,
  type MessageEventType,
  type RecipientStatus,
  type UtmSettings,
} from "@/lib/campaigns/schemas";
import { type EventVars } from "@/lib/campaigns/template";

/*
 * Persistence port of the delivery engine. The engine never touches a database directly: the in-memory
 * implementation serves unit tests, the DynamoDB one (lib/db/campaigns-repo.ts) serves the app.
 * Every transition is conditional, so two workers (or a retried step) can never both own a recipient.
 */

export interface CampaignSnapshot {
  id: string;
  name: string;
  status: CampaignStatus;
  subject: string;
  body: string;
  utm: UtmSettings;
  /** The Rally event the campaign promotes (analytics dimension). */
  eventId?: string;
  /** Frozen when the campaign was sent: later edits to the event do not change queued mail. */
  event?: EventVars;
  /** Overrides SES_FROM_ADDRESS. */
  from?: string;
  recipientCount: number;
  /** ISO time: the fan-out sleeps until then before the first batch (send later). */
  scheduledAt?: string;
}

/** One frozen recipient: audience members are copied in when the campaign is sent. */
export interface CampaignRecipient {
  campaignId: string;
  /** The user id; stable and unique inside a campaign. */
  recipientId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  city?: string;
  state?: string;
  status: RecipientStatus;
  /** Send attempts started (claims taken). */
  attempts: number;
  /** Epoch ms; set while `sending`. */
  leaseExpiresAt?: number;
  providerMessageId?: string;
  reason?: string;
  /** Epoch ms of the last transition. */
  updatedAt: number;
  /** Epoch ms the message was handed to SES (for bot click timing). */
  sentAt?: number;
}

export interface StatusEvent {
  campaignId: string;
  recipientId?: string;
  type: MessageEventType;
  /** Epoch ms. */
  at: number;
  reason?: string;
  providerMessageId?: string;
}

/** The outcome of one claimed send, applied by `settle`. `pending` releases the claim (nothing was sent). */
export type Settlement =
  | { recipientId: string; status: "sent"; providerMessageId: string }
  | { recipientId: string; status: "failed" | "unknown"; reason: string }
  | { recipientId: string; status: "pending" };

/** One batch's transitions, made durable in one write. */
export interface BatchTransitions {
  /** The previous batch's outcomes (as `settle`), applied first. */
  settle?: Settlement[];
  /** pending → skipped / suppressed instead of claimed (invalid or suppressed addresses). */
  exclude?: { recipientId: string; status: "skipped" | "suppressed"; reason?: string }[];
  /** pending → sending, as `claim`. */
  claim: string[];
}

export interface RecipientPage {
  items: CampaignRecipient[];
  /** Present when more matching recipients may follow. */
  cursor?: string;
}

export type ProgressCounts = Record<RecipientStatus, number>;

export interface RecipientStore {
  loadCampaign(campaignId: string): Promise<CampaignSnapshot | null>;
  /** Moves the campaign to `to` if its status is one of `from` (any when omitted); false when it was not. */
  setCampaignStatus(campaignId: string, to: CampaignStatus, from?: CampaignStatus[]): Promise<boolean>;
  /** Up to `limit` recipients in recipientId order, optionally only those in `status`. */
  listRecipients(
    campaignId: string,
    options: { limit: number; cursor?: string; status?: RecipientStatus },
  ): Promise<RecipientPage>;
  /** pending → sending with a lease until now+leaseMs, one conditional write each; returns the ids it won. */
  claim(campaignId: string, recipientIds: string[], leaseMs: number, now: number): Promise<string[]>;
  /**
   * Settles the previous batch, excludes and claims the next one, all in one write (the fan-out's one write
   * per batch). Same conditions as settle, markSkipped/markSuppressed and claim.
   * @returns the claimed ids (input order) and the ids it excluded.
   */
  claimBatch(
    campaignId: string,
    batch: BatchTransitions,
    leaseMs: number,
    now: number,
  ): Promise<{ claimed: string[]; excluded: string[] }>;
  /** sending|unknown → sent. A late answer may upgrade `unknown`: sent is the truth. */
  markSent(campaignId: string, recipientId: string, providerMessageId: string, now: number): Promise<boolean>;
  /** sending|unknown → failed. */
  markFailed(campaignId: string, recipientId: string, reason: string, now: number): Promise<boolean>;
  /** sending → unknown: the provider may or may not have taken it. */
  markUnknown(campaignId: string, recipientId: string, reason: string, now: number): Promise<boolean>;
  /** pending → suppressed. */
  markSuppressed(campaignId: string, recipientId: string, now: number): Promise<boolean>;
  /** pending → skipped. */
  markSkipped(campaignId: string, recipientId: string, reason: string, now: number): Promise<boolean>;
  /** sending → pending (nothing was sent); the lease is dropped. */
  release(campaignId: string, recipientIds: string[], now: number): Promise<void>;
  /** Applies a batch's outcomes with the same conditions as markSent/markFailed/markUnknown/release. */
  settle(campaignId: string, settlements: Settlement[], now: number): Promise<void>;
  /** sending with an expired lease → unknown; returns the ids moved. */
  expireLeases(campaignId: string, now: number): Promise<string[]>;
  /** Which of these addresses are suppressed (unsubscribed, bounced, complained)? Lower-cased answers. */
  isSuppressed(emails: string[]): Promise<Set<string>>;
  recordStatusEvents(events: StatusEvent[]): Promise<void>;
  progress(campaignId: string): Promise<ProgressCounts>;
}

export function emptyProgress(): ProgressCounts {
  return { pending: 0, sending: 0, sent: 0, failed: 0, suppressed: 0, skipped: 0, unknown: 0 };
}
