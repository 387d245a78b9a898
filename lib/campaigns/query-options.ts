import { type CampaignStatus } from "@/lib/campaigns/schemas";

/*
 * react-query keys and polling policy for the campaign pages. Client-safe (no server imports); the fetchers
 * are the server actions beside the pages.
 */

export const campaignKeys = {
  all: ["campaigns"] as const,
  list: (cursor: string | null) => ["campaigns", "list", cursor] as const,
  totals: () => ["campaigns", "totals"] as const,
  detail: (id: string) => ["campaigns", "detail", id] as const,
  recipients: (id: string, status: string, cursor: string | null) =>
    ["campaigns", "recipients", id, status, cursor] as const,
  audienceCount: (audience: unknown) => ["campaigns", "audience-count", audience] as const,
  audienceSample: (audience: unknown) => ["campaigns", "audience-sample", audience] as const,
};

/** Poll every 1.5 s while a campaign is sending (or scheduled to); stop once it settles. */
export const PROGRESS_POLL_MS = 1_500;

export function progressRefetchInterval(status: CampaignStatus | undefined): number | false {
  return status === "sending" ? PROGRESS_POLL_MS : false;
}

/** Whether pause / resume / cancel apply to a campaign in this status. */
export function campaignControls(status: CampaignStatus): {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
} {
  return {
    pause: status === "sending",
    resume: status === "paused",
    cancel: status === "draft" || status === "sending" || status === "paused",
  };
}

export interface ProgressNumbers {
  total: number;
  done: number;
  /** 0–100, rounded down so "100" means every recipient settled. */
  percent: number;
}

/** Settled share of a campaign's recipients (sent, failed, suppressed, skipped, unknown). */
export function progressNumbers(
  recipientCount: number,
  progress: { queued: number } | undefined,
): ProgressNumbers {
  const total = Math.max(0, recipientCount);
  const done = progress ? Math.max(0, Math.min(total, total - progress.queued)) : 0;
  return { total, done, percent: total === 0 ? 0 : Math.floor((done / total) * 100) };
}
