import { useCallback, useState } from "react";

import {
  currentCursor,
  initialCursorStack,
  pageIndexOf,
  popCursor,
  pushCursor,
  type CursorStack,
} from "@/components/data-table/cursor-stack";

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

  return {
    cursor: currentCursor(stack),
    pageIndex: pageIndexOf(stack),
    hasPreviousPage: stack.length > 1,
    next,
    previous,
    reset,
  };
}
