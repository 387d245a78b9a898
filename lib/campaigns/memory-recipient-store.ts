import {
  emptyProgress,
  type CampaignRecipient,
  type CampaignSnapshot,
  type ProgressCounts,
  type RecipientPage,
  type RecipientStore,
  type Settlement,
  type StatusEvent,
} from "@/lib/campaigns/recipient-store";
import { type CampaignStatus, type RecipientStatus } from "@/lib/campaigns/schemas";

type NewRecipient = Omit<CampaignRecipient, "campaignId" | "status" | "attempts" | "updatedAt">;

/** RecipientStore in memory, for unit tests and the in-process demo. Same conditional semantics as DynamoDB. */
export class MemoryRecipientStore implements RecipientStore {
  readonly campaigns = new Map<string, CampaignSnapshot>();
  readonly recipients = new Map<string, Map<string, CampaignRecipient>>();
  readonly suppressed = new Set<string>();
  readonly events: StatusEvent[] = [];

  /** Test seeding: a campaign in `sending` with its frozen recipients in `pending`. */
  addCampaign(
    campaign: Omit<CampaignSnapshot, "recipientCount" | "status"> & { status?: CampaignStatus },
    recipients: NewRecipient[],
  ): void {
    this.campaigns.set(campaign.id, { status: "sending", ...campaign, recipientCount: recipients.length });
    const rows = new Map<string, CampaignRecipient>();
    for (const r of recipients) {
      rows.set(r.recipientId, {
        ...r,
        campaignId: campaign.id,
        status: "pending",
        attempts: 0,
        updatedAt: 0,
      });
    }
    this.recipients.set(campaign.id, rows);
  }

  suppress(email: string): void {
    this.suppressed.add(email.toLowerCase());
  }

  private rows(campaignId: string): Map<string, CampaignRecipient> {
    return this.recipients.get(campaignId) ?? new Map();
  }

  private transition(
    campaignId: string,
    recipientId: string,
    from: RecipientStatus[],
    patch: Partial<CampaignRecipient> & { status: RecipientStatus },
    now: number,
  ): boolean {
    const row = this.rows(campaignId).get(recipientId);
    if (!row || !from.includes(row.status)) return false;
    Object.assign(row, patch, { updatedAt: now });
    if (patch.status !== "sending") delete row.leaseExpiresAt;
    return true;
  }

  async loadCampaign(campaignId: string): Promise<CampaignSnapshot | null> {
    const c = this.campaigns.get(campaignId);
    return c ? structuredClone(c) : null;
  }

  async setCampaignStatus(campaignId: string, to: CampaignStatus, from?: CampaignStatus[]): Promise<boolean> {
    const c = this.campaigns.get(campaignId);
    if (!c || (from && !from.includes(c.status))) return false;
    c.status = to;
    return true;
  }

  async listRecipients(
    campaignId: string,
    options: { limit: number; cursor?: string; status?: RecipientStatus },
  ): Promise<RecipientPage> {
    const sorted = [...this.rows(campaignId).values()].sort((a, b) =>
      a.recipientId < b.recipientId ? -1 : a.recipientId > b.recipientId ? 1 : 0,
    );
    const after = options.cursor;
    const matching = sorted.filter(
      (r) =>
        (after === undefined || r.recipientId > after) && (!options.status || r.status === options.status),
    );
    const items = matching.slice(0, options.limit).map((r) => structuredClone(r));
    const last = items.at(-1);
    return matching.length > options.limit && last ? { items, cursor: last.recipientId } : { items };
  }

  async claim(campaignId: string, recipientIds: string[], leaseMs: number, now: number): Promise<string[]> {
    return recipientIds.filter((id) => {
      const row = this.rows(campaignId).get(id);
      return this.transition(
        campaignId,
        id,
        ["pending"],
        { status: "sending", leaseExpiresAt: now + leaseMs, attempts: (row?.attempts ?? 0) + 1 },
        now,
      );
    });
  }

  async markSent(campaignId: string, recipientId: string, providerMessageId: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["sending", "unknown"],
      { status: "sent", providerMessageId, sentAt: now },
      now,
    );
  }

  async markFailed(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["sending", "unknown"],
      { status: "failed", reason },
      now,
    );
  }

  async markUnknown(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(campaignId, recipientId, ["sending"], { status: "unknown", reason }, now);
  }

  async markSuppressed(campaignId: string, recipientId: string, now: number) {
    return this.transition(campaignId, recipientId, ["pending"], { status: "suppressed" }, now);
  }

  async markSkipped(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(campaignId, recipientId, ["pending"], { status: "skipped", reason }, now);
  }

  async release(campaignId: string, recipientIds: string[], now: number): Promise<void> {
    for (const id of recipientIds) this.transition(campaignId, id, ["sending"], { status: "pending" }, now);
  }

  async settle(campaignId: string, settlements: Settlement[], now: number): Promise<void> {
    for (const st of settlements) {
      if (st.status === "sent") await this.markSent(campaignId, st.recipientId, st.providerMessageId, now);
      else if (st.status === "failed") await this.markFailed(campaignId, st.recipientId, st.reason, now);
      else if (st.status === "unknown") await this.markUnknown(campaignId, st.recipientId, st.reason, now);
      else await this.release(campaignId, [st.recipientId], now);
    }
  }

  async expireLeases(campaignId: string, now: number): Promise<string[]> {
    const moved: string[] = [];
    for (const row of this.rows(campaignId).values()) {
      if (row.status === "sending" && (row.leaseExpiresAt ?? 0) <= now) {
        this.transition(
          campaignId,
          row.recipientId,
          ["sending"],
          { status: "unknown", reason: "lease expired" },
          now,
        );
        moved.push(row.recipientId);
      }
    }
    return moved;
  }

  async isSuppressed(emails: string[]): Promise<Set<string>> {
    return new Set(emails.map((e) => e.toLowerCase()).filter((e) => this.suppressed.has(e)));
  }

  async recordStatusEvents(events: StatusEvent[]): Promise<void> {
    this.events.push(...events);
  }

  async progress(campaignId: string): Promise<ProgressCounts> {
    const counts = emptyProgress();
    for (const row of this.rows(campaignId).values()) counts[row.status]++;
    return counts;
  }
}
