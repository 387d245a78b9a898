import { formatCount } from "@/components/charts/chart-data";
import { type CampaignProgressView } from "@/lib/campaigns/get-campaign";
import { progressNumbers } from "@/lib/campaigns/query-options";

const COUNTS: { key: keyof Omit<CampaignProgressView, "failureReasons">; label: string }[] = [
  { key: "queued", label: "Queued" },
  { key: "sent", label: "Sent" },
  { key: "failed", label: "Failed" },
  { key: "suppressed", label: "Suppressed" },
  { key: "skipped", label: "Skipped" },
  { key: "unknown", label: "Unknown" },
];

/** Delivery progress: a bar of settled recipients and the count per state. */
export function CampaignProgress({
  recipientCount,
  progress,
}: {
  recipientCount: number;
  progress: CampaignProgressView | undefined;
}) {
  const n = progressNumbers(recipientCount, progress);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <div className="flex items-baseline justify-between text-sm">
          <span id="progress-label" className="font-medium">
            Delivery progress
          </span>
          <span className="tabular-nums text-muted-foreground" data-testid="progress-text">
            {formatCount(n.done)} of {formatCount(n.total)} settled ({n.percent}%)
          </span>
        </div>
        <div
          role="progressbar"
          aria-labelledby="progress-label"
          aria-valuemin={0}
          aria-valuemax={n.total}
          aria-valuenow={n.done}
          aria-valuetext={`${n.done} of ${n.total} recipients settled`}
          className="h-2.5 w-full overflow-hidden rounded-full bg-muted"
        >
          <div
            className="h-full rounded-full bg-primary transition-[width]"
            style={{ width: `${n.percent}%` }}
          />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {COUNTS.map(({ key, label }) => (
          <div key={key} className="rounded-lg border p-3">
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${key}`}>
              {formatCount(progress?.[key] ?? 0)}
            </dd>
          </div>
        ))}
      </dl>
      {progress && progress.failureReasons.length > 0 ? (
        <div className="text-sm">
          <h3 className="font-medium">Failure reasons</h3>
          <ul className="mt-1 list-inside list-disc text-muted-foreground">
            {progress.failureReasons.map((r) => (
              <li key={r.reason}>
                {r.reason}: {formatCount(r.count)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
