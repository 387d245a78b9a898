import {
  emptyProgress,
  type BatchTransitions,
  type CampaignRecipient,
  type CampaignSnapshot,
  type ProgressCounts,
  type RecipientPage,
  type RecipientStore,
  type Settlement,
  type StatusEvent,
} from "@/lib/campaigns/recipient-store";
import {
  claimRow,
  excludeRow,
  expireRow,
  settleRow,
  type RecipientRow,
} from "@/lib/campaigns/recipient-transitions";
import { type CampaignStatus, type RecipientStatus } from "@/lib/campaigns/schemas";

type NewRecipient = Omit<CampaignRecipient, "campaignId" | "status" | "attempts" | "updatedAt">;

/** RecipientStore in memory, for unit tests and the in-process demo. Same conditional semantics as DynamoDB. */
export class MemoryRecipientStore implements RecipientStore {
  readonly campaigns = new Map<string, CampaignSnapshot>();
  readonly recipients = new Map<string, Map<string, CampaignRecipient>>();
  readonly suppressed = new Set<string>();
  readonly events: StatusEvent[] = [];
  private claims = 0;

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

  /** Applies a state-machine step to one row; false when the row is missing or not in a state it allows. */
  private apply(campaignId: string, recipientId: string, step: (row: RecipientRow) => boolean): boolean {
    const row = this.rows(campaignId).get(recipientId);
    return row ? step(row) : false;
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
    return (await this.claimBatch(campaignId, { claim: recipientIds }, leaseMs, now)).claimed;
  }

  async markSent(campaignId: string, recipientId: string, providerMessageId: string, now: number) {
    return this.apply(campaignId, recipientId, (row) =>
      settleRow(row, { recipientId, status: "sent", providerMessageId }, now),
    );
  }

  async markFailed(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.apply(campaignId, recipientId, (row) =>
      settleRow(row, { recipientId, status: "failed", reason }, now),
    );
  }

  async markUnknown(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.apply(campaignId, recipientId, (row) =>
      settleRow(row, { recipientId, status: "unknown", reason }, now),
    );
  }

  async markSuppressed(campaignId: string, recipientId: string, now: number) {
    return this.apply(campaignId, recipientId, (row) => excludeRow(row, "suppressed", undefined, now));
  }

  async markSkipped(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.apply(campaignId, recipientId, (row) => excludeRow(row, "skipped", reason, now));
  }

  async claimBatch(
    campaignId: string,
    batch: BatchTransitions,
    leaseMs: number,
    now: number,
  ): Promise<{ claimed: string[]; excluded: string[] }> {
    for (const st of batch.settle ?? [])
      this.apply(campaignId, st.recipientId, (row) => settleRow(row, st, now));
    const excluded = (batch.exclude ?? [])
      .filter((x) => this.apply(campaignId, x.recipientId, (row) => excludeRow(row, x.status, x.reason, now)))
      .map((x) => x.recipientId);
    const spec = { claimId: `claim-${++this.claims}`, leaseExpiresAt: now + leaseMs, now };
    const claimed = batch.claim.filter((id) =>
      this.apply(campaignId, id, (row) => claimRow(row, spec) === "won"),
    );
    return { claimed, excluded };
  }

  async release(campaignId: string, recipientIds: string[], now: number): Promise<void> {
    for (const recipientId of recipientIds)
      this.apply(campaignId, recipientId, (row) => settleRow(row, { recipientId, status: "pending" }, now));
  }

  async settle(campaignId: string, settlements: Settlement[], now: number): Promise<void> {
    for (const st of settlements) this.apply(campaignId, st.recipientId, (row) => settleRow(row, st, now));
  }

  async expireLeases(campaignId: string, now: number): Promise<string[]> {
    return [...this.rows(campaignId).values()]
      .filter((row) => expireRow(row, now))
      .map((row) => row.recipientId);
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
