import { type CampaignRecipient, type Settlement } from "@/lib/campaigns/recipient-store";
import { type RecipientStatus } from "@/lib/campaigns/schemas";

/*
 * The recipient state machine, shared by every RecipientStore so the in-memory one used in unit tests cannot
 * drift from the DynamoDB one. Each function changes one row in place if the row is in an allowed state and
 * says whether it did; the stores decide how the change is made durable (the DynamoDB store writes whole
 * recipient chunks under an optimistic version, see lib/db/recipient-chunks.ts).
 */

/** A recipient as stored: the claim id marks which claim moved it to `sending`. */
export type RecipientRow = Omit<CampaignRecipient, "campaignId"> & { claimId?: string };

export interface ClaimSpec {
  claimId: string;
  leaseExpiresAt: number;
  now: number;
}

function move(row: RecipientRow, status: RecipientStatus, now: number): void {
  row.status = status;
  row.updatedAt = now;
  if (status !== "sending") {
    delete row.leaseExpiresAt;
    delete row.claimId;
  }
}

/**
 * pending → sending under this claim. "mine" = the row is already `sending` under the same claim id: a claim
 * whose write applied but whose answer was lost, seen again on the retry.
 */
export function claimRow(row: RecipientRow, claim: ClaimSpec): "won" | "mine" | "lost" {
  if (row.status === "sending" && row.claimId === claim.claimId) return "mine";
  if (row.status !== "pending") return "lost";
  move(row, "sending", claim.now);
  row.leaseExpiresAt = claim.leaseExpiresAt;
  row.claimId = claim.claimId;
  row.attempts += 1;
  delete row.reason;
  return "won";
}

/**
 * Applies one outcome of a claimed send: sending|unknown → sent or failed (a late answer may upgrade
 * `unknown`: sent is the truth), sending → unknown, sending → pending (nothing was sent).
 */
export function settleRow(row: RecipientRow, settlement: Settlement, now: number): boolean {
  switch (settlement.status) {
    case "sent":
      if (row.status !== "sending" && row.status !== "unknown") return false;
      move(row, "sent", now);
      row.providerMessageId = settlement.providerMessageId;
      row.sentAt = now;
      delete row.reason;
      return true;
    case "failed":
      if (row.status !== "sending" && row.status !== "unknown") return false;
      move(row, "failed", now);
      row.reason = settlement.reason;
      return true;
    case "unknown":
      if (row.status !== "sending") return false;
      move(row, "unknown", now);
      row.reason = settlement.reason;
      return true;
    case "pending":
      if (row.status !== "sending") return false;
      move(row, "pending", now);
      return true;
  }
}

/** pending → suppressed or skipped: the recipient never reaches SES. */
export function excludeRow(
  row: RecipientRow,
  status: "suppressed" | "skipped",
  reason: string | undefined,
  now: number,
): boolean {
  if (row.status !== "pending") return false;
  move(row, status, now);
  if (reason) row.reason = reason;
  return true;
}

/** sending with a lease that ran out → unknown (SES may or may not have taken it; never resent). */
export function expireRow(row: RecipientRow, now: number): boolean {
  if (row.status !== "sending" || (row.leaseExpiresAt ?? 0) > now) return false;
  move(row, "unknown", now);
  row.reason = "lease expired";
  return true;
}
