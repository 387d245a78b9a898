import {
  columnSizingFeature,
  columnVisibilityFeature,
  createColumnHelper,
  metaHelper,
  rowSortingFeature,
  tableFeatures,
  type ColumnDef,
  type RowData,
} from "@tanstack/react-table";

/** Per-column presentation hints read by `<DataTable>`. */
export interface DataTableColumnMeta {
  /** Name shown in the column visibility menu when the header is not a plain string. */
  label?: string;
  /** Right-align numbers so digits line up. */
  align?: "start" | "end";
}

/**
 * The one feature set every Rally table uses. Sorting is registered for its state and header APIs
 * only: no sorted row model, because the server sorts (manualSorting) and the client never reorders a page.
 */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  columnVisibilityFeature,
  columnSizingFeature,
  columnMeta: metaHelper<DataTableColumnMeta>(),
});

export type DataTableFeatures = typeof dataTableFeatures;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column keeps its own value type
export type DataTableColumns<TData extends RowData> = Array<ColumnDef<DataTableFeatures, TData, any>>;

/**
 * Column helper bound to Rally's table features; define columns at module scope so they stay stable:
 * `const col = dataTableColumnHelper<User>(); export const userColumns = col.columns([...])`.
 */
export function dataTableColumnHelper<TData extends RowData>() {
  return createColumnHelper<DataTableFeatures, TData>();
}
