import { Badge } from "@/components/ui/badge";
import { type CampaignStatus } from "@/lib/campaigns/schemas";

const LOOK: Record<
  CampaignStatus,
  { label: string; variant: "secondary" | "accent" | "warning" | "success" | "outline" }
> = {
  draft: { label: "Draft", variant: "secondary" },
  sending: { label: "Sending", variant: "accent" },
  paused: { label: "Paused", variant: "warning" },
  completed: { label: "Completed", variant: "success" },
  cancelled: { label: "Cancelled", variant: "outline" },
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  const look = LOOK[status];
  return (
    <Badge variant={look.variant} data-testid="campaign-status">
      {look.label}
    </Badge>
  );
}

export function formatDateTime(iso: string | number | undefined): string {
  if (iso === undefined) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return date.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
