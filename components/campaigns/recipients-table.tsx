"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { listRecipientsAction } from "@/app/(dashboard)/campaigns/actions";
import { formatDateTime } from "@/components/campaigns/campaign-status-badge";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper } from "@/components/data-table/features";
import { useCursorPagination } from "@/components/data-table/use-cursor-pagination";
import { Badge } from "@/components/ui/badge";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { unwrap } from "@/lib/analytics/query-options";
import { type RecipientRow } from "@/lib/campaigns/get-campaign";
import { campaignKeys } from "@/lib/campaigns/query-options";
import { RecipientStatus } from "@/lib/campaigns/schemas";

const col = dataTableColumnHelper<RecipientRow>();
const columns = col.columns([
  col.accessor("email", { header: "Email", size: 240 }),
  col.accessor((r) => [r.firstName, r.lastName].filter(Boolean).join(" ") || "—", {
    id: "name",
    header: "Name",
    size: 180,
  }),
  col.accessor("status", {
    header: "Status",
    size: 110,
    cell: (info) => (
      <Badge
        variant={
          info.getValue() === "failed" ? "destructive" : info.getValue() === "sent" ? "success" : "secondary"
        }
      >
        {info.getValue()}
      </Badge>
    ),
  }),
  col.accessor("attempts", { header: "Attempts", size: 90, meta: { align: "end" } }),
  col.accessor("sentAt", { header: "Sent at", size: 200, cell: (info) => formatDateTime(info.getValue()) }),
  col.accessor("reason", { header: "Reason", size: 200, cell: (info) => info.getValue() ?? "—" }),
]);

/** Per-recipient delivery state, paged with the engine's cursor; refreshes with the progress poll. */
export function RecipientsTable({
  campaignId,
  refetchInterval,
}: {
  campaignId: string;
  refetchInterval: number | false;
}) {
  const [status, setStatus] = useState("");
  const pages = useCursorPagination(`recipients:${status}`);
  const query = useQuery({
    queryKey: campaignKeys.recipients(campaignId, status, pages.cursor ?? null),
    queryFn: () => unwrap(listRecipientsAction(campaignId, pages.cursor ?? undefined, status || undefined)),
    refetchInterval,
  });
  return (
    <DataTable
      label="Recipients"
      columns={columns}
      data={query.data?.items}
      getRowId={(r) => r.recipientId}
      status={query.status}
      isFetching={query.isFetching}
      error={query.error}
      onRetry={() => void query.refetch()}
      maxHeight={480}
      toolbar={
        <div className="flex items-center gap-2">
          <Label htmlFor="recipient-status">Status</Label>
          <Select id="recipient-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {RecipientStatus.options.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </div>
      }
      paging={pages.pagingFor(query.data?.nextCursor)}
    />
  );
}
