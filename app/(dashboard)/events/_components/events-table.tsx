"use client";

import { useQuery } from "@tanstack/react-query";
import { CalendarDays } from "lucide-react";
import Link from "next/link";

import { listEventsAction } from "@/app/(dashboard)/events/actions";
import { FillBar } from "@/app/(dashboard)/events/_components/fill-bar";
import { formatEventTime } from "@/app/(dashboard)/events/_components/format";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper } from "@/components/data-table/features";
import { useCursorPagination } from "@/components/data-table/use-cursor-pagination";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { type Page } from "@/lib/db/cursor";
import { type Event } from "@/lib/events/schemas";

const col = dataTableColumnHelper<Event>();
const columns = col.columns([
  col.accessor("title", {
    header: "Event",
    size: 260,
    cell: (info) => (
      <Link
        href={`/events/${info.row.original.id}`}
        className="font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
      >
        {info.getValue()}
      </Link>
    ),
  }),
  col.accessor("startAt", {
    header: "Starts",
    size: 220,
    cell: (info) => formatEventTime(info.getValue(), info.row.original.timeZone),
  }),
  col.accessor("venue", { header: "Venue", size: 160, cell: (info) => info.getValue() ?? "—" }),
  col.accessor("registeredCount", {
    header: "Registrations",
    size: 220,
    cell: (info) => <FillBar count={info.getValue()} capacity={info.row.original.maxCapacity} />,
  }),
]);

/** Events by start time; the server page hands in the first page so it renders without a round trip. */
export function EventsTable({ firstPage, canWrite }: { firstPage: Page<Event>; canWrite: boolean }) {
  const pages = useCursorPagination("events");
  const query = useQuery({
    queryKey: ["events", pages.cursor ?? null],
    queryFn: async () => {
      const result = await listEventsAction(pages.cursor ?? undefined);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.data;
    },
    initialData: pages.cursor ? undefined : firstPage,
  });
  return (
    <DataTable
      label="Events"
      columns={columns}
      data={query.data?.items}
      getRowId={(e) => e.id}
      status={query.status}
      isFetching={query.isFetching}
      error={query.error}
      onRetry={() => void query.refetch()}
      empty={
        <EmptyState
          icon={CalendarDays}
          title="No events yet"
          description="Create an event to start taking registrations and inviting your audience."
          action={
            canWrite ? (
              <Button asChild>
                <Link href="/events/new">New event</Link>
              </Button>
            ) : null
          }
        />
      }
      paging={pages.pagingFor(query.data?.nextCursor)}
    />
  );
}
