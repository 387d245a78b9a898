"use client";

import type { ColumnVisibilityState, SortingState } from "@tanstack/react-table";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

import {
  parseTableSearchParams,
  updateTableSearchParams,
  type TableUrlOptions,
  type TableUrlState,
} from "@/components/data-table/url-state";

/**
 * Table state read from and written to the URL (sort, q, size, hide, filter, cursor). Writes use
 * `history.replaceState`, which Next syncs into useSearchParams without a server round trip (the
 * client's queries refetch on their own), and which keeps the back button free of every keystroke. Pass stable `options`
 * (module scope). `visibility` is derived from `hide` in the shape `<DataTable columnVisibility>` takes.
 * Uses `useSearchParams`, so render the calling component inside `<Suspense>` (Next requires it for
 * static pages at build time).
 */
export function useTableUrlState(options: TableUrlOptions) {
  const searchParams = useSearchParams();
  const pathname = usePathname();

  const state: TableUrlState = useMemo(
    () => parseTableSearchParams(new URLSearchParams(searchParams.toString()), options),
    [searchParams, options],
  );

  const update = useCallback(
    (patch: Partial<TableUrlState> & { filter?: string | null }) => {
      const next = updateTableSearchParams(new URLSearchParams(searchParams.toString()), patch, options);
      const query = next.toString();
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [searchParams, options, pathname],
  );

  const visibility: ColumnVisibilityState = useMemo(
    () => Object.fromEntries(state.hidden.map((id) => [id, false])),
    [state.hidden],
  );

  return {
    ...state,
    visibility,
    /** The raw `filter` token; decode it with decodeFilterParam and your schema. */
    filterToken: searchParams.get("filter"),
    update,
    setSorting: useCallback((sorting: SortingState) => update({ sorting }), [update]),
    setQuery: useCallback((q: string) => update({ q }), [update]),
    setPageSize: useCallback((pageSize: number) => update({ pageSize }), [update]),
    setFilter: useCallback((filter: string | null) => update({ filter }), [update]),
    setVisibility: useCallback(
      (next: ColumnVisibilityState) =>
        update({ hidden: Object.keys(next).filter((id) => next[id] === false) }),
      [update],
    ),
  };
}
