import { useCallback, useState } from "react";

import {
  currentCursor,
  initialCursorStack,
  pageIndexOf,
  popCursor,
  pushCursor,
  type CursorStack,
} from "@/components/data-table/cursor-stack";
import { type DataTablePaging } from "@/components/data-table/data-table";

/**
 * Client-side cursor history for `<DataTable paging>`. Pass a `resetKey` built from everything the
 * query depends on (sort, search, filter, page size): when it changes, paging restarts at page one.
 */
export function useCursorPagination(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: CursorStack }>({
    key: resetKey,
    stack: initialCursorStack,
  });
  // Reset during render (React's documented pattern for state derived from a changed prop).
  const stack = state.key === resetKey ? state.stack : initialCursorStack;
  if (state.key !== resetKey) setState({ key: resetKey, stack: initialCursorStack });

  const next = useCallback(
    (nextCursor: string) => setState((s) => ({ key: s.key, stack: pushCursor(s.stack, nextCursor) })),
    [],
  );
  const previous = useCallback(() => setState((s) => ({ key: s.key, stack: popCursor(s.stack) })), []);
  const reset = useCallback(() => setState((s) => ({ key: s.key, stack: initialCursorStack })), []);
  const pageIndex = pageIndexOf(stack);
  const hasPreviousPage = stack.length > 1;

  /** The `<DataTable paging>` prop for the page just loaded, given its `nextCursor`. */
  const pagingFor = (nextCursor: string | null | undefined): DataTablePaging => ({
    hasNextPage: !!nextCursor,
    hasPreviousPage,
    onNextPage: () => {
      if (nextCursor) next(nextCursor);
    },
    onPreviousPage: previous,
    pageIndex,
  });

  return {
    cursor: currentCursor(stack),
    pageIndex,
    hasPreviousPage,
    next,
    previous,
    reset,
    pagingFor,
  };
}
