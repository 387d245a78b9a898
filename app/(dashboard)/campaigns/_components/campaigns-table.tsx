"use client";

import { useQuery } from "@tanstack/react-query";
import { Mail } from "lucide-react";
import Link from "next/link";

import {
  campaignTotalsAction,
  type CampaignListItem,
  listCampaignsAction,
} from "@/app/(dashboard)/campaigns/actions";
import { CampaignStatusBadge, formatDateTime } from "@/components/campaigns/campaign-status-badge";
import { formatCount } from "@/components/charts/chart-data";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper } from "@/components/data-table/features";
import { useCursorPagination } from "@/components/data-table/use-cursor-pagination";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { unwrap } from "@/lib/analytics/query-options";
import { campaignKeys } from "@/lib/campaigns/query-options";
import { type CampaignStatus } from "@/lib/campaigns/schemas";
import { type Page } from "@/lib/db/cursor";

export interface CampaignListRow {
  id: string;
  name: string;
  status: CampaignStatus;
  recipientCount: number;
  createdAt: string;
  sent: number | null;
  failed: number | null;
}

const col = dataTableColumnHelper<CampaignListRow>();
const columns = col.columns([
  col.accessor("name", {
    header: "Campaign",
    size: 240,
    cell: (info) => (
      <Link
        href={`/campaigns/${info.row.original.id}`}
        className="font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
      >
        {info.getValue()}
      </Link>
    ),
  }),
  col.accessor("status", {
    header: "Status",
    size: 120,
    cell: (info) => <CampaignStatusBadge status={info.getValue()} />,
  }),
  col.accessor("recipientCount", {
    header: "Recipients",
    size: 110,
    meta: { align: "end" },
    cell: (info) => (info.row.original.status === "draft" ? "—" : formatCount(info.getValue())),
  }),
  col.accessor("sent", {
    header: "Sent",
    size: 90,
    meta: { align: "end" },
    cell: (info) => (info.getValue() === null ? "—" : formatCount(info.getValue() ?? 0)),
  }),
  col.accessor("failed", {
    header: "Failed",
    size: 90,
    meta: { align: "end" },
    cell: (info) => (info.getValue() === null ? "—" : formatCount(info.getValue() ?? 0)),
  }),
  col.accessor("createdAt", {
    header: "Created",
    size: 200,
    cell: (info) => formatDateTime(info.getValue()),
  }),
]);

/** Campaigns newest first; sent/failed come from the analytics rollups in one read for the whole page. */
export function CampaignsTable({
  firstPage,
  canWrite,
}: {
  firstPage: Page<CampaignListItem>;
  canWrite: boolean;
}) {
  const pages = useCursorPagination("campaigns");
  const query = useQuery({
    queryKey: campaignKeys.list(pages.cursor ?? null),
    queryFn: () => unwrap(listCampaignsAction(pages.cursor ?? undefined)),
    initialData: pages.cursor ? undefined : firstPage,
  });
  const totals = useQuery({ queryKey: campaignKeys.totals(), queryFn: () => unwrap(campaignTotalsAction()) });
  const rows: CampaignListRow[] | undefined = query.data?.items.map((c) => {
    const t = totals.data?.[c.id];
    const known = c.status !== "draft" && totals.data !== undefined;
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      recipientCount: c.recipientCount,
      createdAt: c.createdAt,
      sent: known ? (t?.sent ?? 0) : null,
      failed: known ? (t?.failed ?? 0) : null,
    };
  });
  return (
    <DataTable
      label="Campaigns"
      columns={columns}
      data={rows}
      getRowId={(c) => c.id}
      status={query.status}
      isFetching={query.isFetching || totals.isFetching}
      error={query.error}
      onRetry={() => void query.refetch()}
      empty={
        <EmptyState
          icon={Mail}
          title="No campaigns yet"
          description="Pick an audience and an event, write the email, and Rally sends it in safe batches."
          action={
            canWrite ? (
              <Button asChild>
                <Link href="/campaigns/new">New campaign</Link>
              </Button>
            ) : null
          }
        />
      }
      paging={pages.pagingFor(query.data?.nextCursor)}
    />
  );
}
