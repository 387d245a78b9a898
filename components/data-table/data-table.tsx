"use client";

import {
  functionalUpdate,
  useTable,
  type OnChangeFn,
  type RowData,
  type SortingState,
  type ColumnVisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, ChevronsUpDown, SearchX } from "lucide-react";
import { useRef, useState, type ReactNode } from "react";

import { ColumnVisibilityMenu } from "@/components/data-table/column-visibility-menu";
import { dataTableFeatures, type DataTableColumns } from "@/components/data-table/features";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";

/** Cursor paging driven by the caller (see useCursorPagination); the table only renders the controls. */
export interface DataTablePaging {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  onNextPage: () => void;
  onPreviousPage: () => void;
  /** Zero-based; shown as "Page n" when given. */
  pageIndex?: number;
}

export interface DataTableProps<TData extends RowData> {
  /** Accessible name of the table (rendered as a visually hidden caption), e.g. "Registrations". */
  label: string;
  /** Define at module scope with dataTableColumnHelper so the reference stays stable. */
  columns: DataTableColumns<TData>;
  /** The current page as the server returned it (already sorted and filtered). */
  data: ReadonlyArray<TData> | undefined;
  getRowId: (row: TData) => string;
  /** react-query's status: "pending" shows skeleton rows, "error" shows the error state. */
  status: "pending" | "error" | "success";
  /** True while a refetch runs with old rows still on screen. */
  isFetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Server-side sorting: omit onSortingChange to make the table unsortable. */
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  /** Controlled column visibility (e.g. from the URL); uncontrolled when omitted. */
  columnVisibility?: ColumnVisibilityState;
  onColumnVisibilityChange?: (visibility: ColumnVisibilityState) => void;
  /** Total matching rows across all pages, when the API reports it. */
  total?: number;
  paging?: DataTablePaging;
  /** Replaces the default "No results" state, e.g. with a call to action. */
  empty?: ReactNode;
  /** Search box, filters, bulk actions: rendered left of the Columns menu. */
  toolbar?: ReactNode;
  /** Height of the scrolling viewport; rows beyond it are virtualized. */
  maxHeight?: number;
  /** First guess of a row's height; real heights are measured after render. */
  estimateRowHeight?: number;
}

const EMPTY_SORTING: SortingState = [];
const SKELETON_ROWS = 8;

function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "The data could not be loaded.";
}

const countFormat = new Intl.NumberFormat("en-US");

/**
 * Rally's one data table: TanStack Table v9 for column/sort/visibility state, TanStack Virtual for rows,
 * semantic `<table>` markup (spacer rows keep native table semantics while virtualizing). Sorting and
 * paging happen on the server; this component reports the user's intent through callbacks.
 */
export function DataTable<TData extends RowData>({
  label,
  columns,
  data,
  getRowId,
  status,
  isFetching = false,
  error,
  onRetry,
  sorting = EMPTY_SORTING,
  onSortingChange,
  columnVisibility: controlledVisibility,
  onColumnVisibilityChange,
  total,
  paging,
  empty,
  toolbar,
  maxHeight = 560,
  estimateRowHeight = 44,
}: DataTableProps<TData>) {
  const [localVisibility, setLocalVisibility] = useState<ColumnVisibilityState>({});
  const columnVisibility = controlledVisibility ?? localVisibility;
  const [emptyRows] = useState<TData[]>([]);

  const handleSortingChange: OnChangeFn<SortingState> = (updater) =>
    onSortingChange?.(functionalUpdate(updater, sorting));
  const handleVisibilityChange: OnChangeFn<ColumnVisibilityState> = (updater) => {
    const next = functionalUpdate(updater, columnVisibility);
    if (controlledVisibility === undefined) setLocalVisibility(next);
    onColumnVisibilityChange?.(next);
  };

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data: data ?? emptyRows,
    getRowId: (row) => getRowId(row),
    state: { sorting, columnVisibility },
    onSortingChange: handleSortingChange,
    onColumnVisibilityChange: handleVisibilityChange,
    manualSorting: true,
    enableSorting: onSortingChange !== undefined,
    enableMultiSort: false,
  });

  const rows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The React Compiler is off in this app, so the virtualizer's unmemoizable API is safe here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 8,
    // Lets the server render the first screen of rows before the viewport can be measured.
    initialRect: { width: 0, height: maxHeight },
  });
  const virtualRows = virtualizer.getVirtualItems();
  const paddingTop = virtualRows[0]?.start ?? 0;
  const paddingBottom =
    virtualRows.length > 0 ? virtualizer.getTotalSize() - (virtualRows.at(-1)?.end ?? 0) : 0;

  const visibleColumns = table.getVisibleLeafColumns();
  const colSpan = Math.max(1, visibleColumns.length);
  const showSkeleton = status === "pending" && rows.length === 0;
  const showError = status === "error";
  const showEmpty = status === "success" && rows.length === 0;
  const busy = status === "pending" || isFetching;

  let statusText = "";
  if (showSkeleton) statusText = `Loading ${label.toLowerCase()}…`;
  else if (showError) statusText = `Could not load ${label.toLowerCase()}.`;
  else if (total !== undefined)
    statusText = `${countFormat.format(rows.length)} of ${countFormat.format(total)}`;
  else statusText = `${countFormat.format(rows.length)} ${rows.length === 1 ? "row" : "rows"}`;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">{toolbar}</div>
        <ColumnVisibilityMenu columns={table.getAllLeafColumns()} />
      </div>

      <div className="relative overflow-hidden rounded-xl border bg-card shadow-xs dark:shadow-none">
        {isFetching && !showSkeleton ? (
          <div aria-hidden className="absolute inset-x-0 top-0 z-20 h-0.5 overflow-hidden bg-primary/15">
            <div className="h-full w-1/3 animate-pulse bg-primary" />
          </div>
        ) : null}
        <div
          ref={scrollRef}
          className="overflow-auto focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
          style={{ maxHeight }}
          // Focusable so keyboard users can scroll the region (axe: scrollable-region-focusable).
          tabIndex={0}
          role="region"
          aria-label={`${label} table`}
        >
          <table
            className="w-full table-fixed border-collapse text-sm"
            style={{ minWidth: table.getTotalSize() }}
            aria-busy={busy || undefined}
            // Counts the loaded page (plus the header row): virtualized rows are absent from the DOM, so AT needs it.
            aria-rowcount={rows.length + 1}
          >
            <caption className="sr-only">{label}</caption>
            <thead className="sticky top-0 z-10 bg-muted/95 backdrop-blur supports-[backdrop-filter]:bg-muted/80">
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id} aria-rowindex={1}>
                  {group.headers.map((header) => {
                    const column = header.column;
                    const sorted = column.getIsSorted();
                    const align = column.columnDef.meta?.align ?? "start";
                    return (
                      <th
                        key={header.id}
                        scope="col"
                        colSpan={header.colSpan}
                        style={{ width: header.getSize() }}
                        aria-sort={
                          sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined
                        }
                        className={cn(
                          "h-10 border-b px-3 text-xs font-medium whitespace-nowrap text-muted-foreground",
                          align === "end" ? "text-right" : "text-left",
                        )}
                      >
                        {header.isPlaceholder ? null : column.getCanSort() ? (
                          <button
                            type="button"
                            onClick={column.getToggleSortingHandler()}
                            className={cn(
                              "-mx-1.5 inline-flex cursor-pointer items-center gap-1 rounded px-1.5 py-1 transition-colors hover:bg-background hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring",
                              sorted && "text-foreground",
                              align === "end" && "flex-row-reverse",
                            )}
                          >
                            <table.FlexRender header={header} />
                            {sorted === "asc" ? (
                              <ArrowUp aria-hidden className="size-3.5" />
                            ) : sorted === "desc" ? (
                              <ArrowDown aria-hidden className="size-3.5" />
                            ) : (
                              <ChevronsUpDown aria-hidden className="size-3.5 opacity-50" />
                            )}
                          </button>
                        ) : (
                          <table.FlexRender header={header} />
                        )}
                      </th>
                    );
                  })}
                </tr>
              ))}
            </thead>
            <tbody>
              {showSkeleton
                ? Array.from({ length: SKELETON_ROWS }, (_, index) => (
                    <tr key={index} className="border-b last:border-0">
                      {visibleColumns.map((column) => (
                        <td key={column.id} className="px-3 py-3">
                          <Skeleton className="h-4 w-3/4" />
                        </td>
                      ))}
                    </tr>
                  ))
                : null}

              {showError ? (
                <tr>
                  <td colSpan={colSpan} className="p-4 sm:p-6">
                    <Alert
                      variant="destructive"
                      title={`Could not load ${label.toLowerCase()}`}
                      action={
                        onRetry ? (
                          <Button variant="outline" size="sm" onClick={onRetry}>
                            Try again
                          </Button>
                        ) : undefined
                      }
                    >
                      {errorMessage(error)}
                    </Alert>
                  </td>
                </tr>
              ) : null}

              {showEmpty ? (
                <tr>
                  <td colSpan={colSpan} className="p-4 sm:p-6">
                    {empty ?? (
                      <EmptyState
                        icon={SearchX}
                        headingLevel={null}
                        title="No results"
                        description="Nothing matches this view. Try clearing the search or filters."
                        className="border-0"
                      />
                    )}
                  </td>
                </tr>
              ) : null}

              {!showError && paddingTop > 0 ? (
                <tr aria-hidden>
                  <td colSpan={colSpan} style={{ height: paddingTop, padding: 0 }} />
                </tr>
              ) : null}
              {showError
                ? null
                : virtualRows.map((item) => {
                    const row = rows[item.index];
                    if (!row) return null;
                    return (
                      <tr
                        key={row.id}
                        data-index={item.index}
                        ref={virtualizer.measureElement}
                        aria-rowindex={item.index + 2}
                        className="border-b transition-colors last:border-0 hover:bg-muted/50"
                      >
                        {row.getVisibleCells().map((cell) => (
                          <td
                            key={cell.id}
                            className={cn(
                              "truncate px-3 py-2.5 align-middle",
                              cell.column.columnDef.meta?.align === "end" && "text-right tabular-nums",
                            )}
                          >
                            <table.FlexRender cell={cell} />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
              {!showError && paddingBottom > 0 ? (
                <tr aria-hidden>
                  <td colSpan={colSpan} style={{ height: paddingBottom, padding: 0 }} />
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>

        <div className="flex flex-wrap items-center justify-between gap-2 border-t px-3 py-2 text-sm">
          <p role="status" className="text-muted-foreground">
            {statusText}
          </p>
          {paging ? (
            <nav aria-label={`${label} pages`} className="flex items-center gap-2">
              {paging.pageIndex !== undefined ? (
                <span className="text-muted-foreground">Page {paging.pageIndex + 1}</span>
              ) : null}
              <Button
                variant="outline"
                size="icon-sm"
                onClick={paging.onPreviousPage}
                disabled={!paging.hasPreviousPage || busy}
                aria-label="Previous page"
              >
                <ChevronLeft aria-hidden />
              </Button>
              <Button
                variant="outline"
                size="icon-sm"
                onClick={paging.onNextPage}
                disabled={!paging.hasNextPage || busy}
                aria-label="Next page"
              >
                <ChevronRight aria-hidden />
              </Button>
            </nav>
          ) : null}
        </div>
      </div>
    </div>
  );
}
