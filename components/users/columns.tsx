"use client";

import { dataTableColumnHelper } from "@/components/data-table/features";
import { type AudienceUser } from "@/lib/audience/schemas";

const col = dataTableColumnHelper<AudienceUser>();
const dash = (value: string | undefined) => value || "—";
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

/** Column ids equal the audience sort fields, so the table's sort state maps to the API one to one. */
export const USER_SORTABLE_COLUMNS = [
  "lastName",
  "email",
  "company",
  "jobTitle",
  "city",
  "state",
  "hostedEventCount",
  "attendedEventCount",
  "createdAt",
] as const;

export const userColumns = col.columns([
  col.accessor("lastName", {
    header: "Name",
    size: 200,
    meta: { label: "Name" },
    enableHiding: false,
    cell: (info) => `${info.row.original.firstName} ${info.row.original.lastName}`,
  }),
  col.accessor("email", { header: "Email", size: 240 }),
  col.accessor("company", { header: "Company", size: 160, cell: (info) => dash(info.getValue()) }),
  col.accessor("jobTitle", { header: "Job title", size: 160, cell: (info) => dash(info.getValue()) }),
  col.accessor("city", { header: "City", size: 130, cell: (info) => dash(info.getValue()) }),
  col.accessor("state", { header: "State", size: 100, cell: (info) => dash(info.getValue()) }),
  col.accessor("gender", {
    header: "Gender",
    size: 110,
    enableSorting: false,
    cell: (info) => dash(info.getValue()),
  }),
  col.accessor("hostedEventCount", { header: "Hosted", size: 90, meta: { align: "end" } }),
  col.accessor("attendedEventCount", { header: "Attended", size: 100, meta: { align: "end" } }),
  col.accessor("createdAt", {
    header: "Joined",
    size: 130,
    cell: (info) => dateFormat.format(new Date(info.getValue())),
  }),
]);

/** A trailing, unsortable column of per-row controls (edit/delete for writers). */
export function userActionsColumn(render: (user: AudienceUser) => React.ReactNode) {
  return col.display({
    id: "actions",
    header: "Actions",
    size: 110,
    enableSorting: false,
    enableHiding: false,
    cell: (info) => render(info.row.original),
  });
}
