/**
 * Cursor paging keeps no page numbers on the server, so "Previous" needs the cursors we came through.
 * The stack holds the cursor of every visited page; its top is the current page (null = first page).
 */
export type CursorStack = readonly (string | null)[];

export const initialCursorStack: CursorStack = [null];

export function currentCursor(stack: CursorStack): string | null {
  return stack[stack.length - 1] ?? null;
}

/** Moves to the page that `nextCursor` (the last response's `nextCursor`) starts. */
export function pushCursor(stack: CursorStack, nextCursor: string): CursorStack {
  return [...stack, nextCursor];
}

/** Goes back one page; stays on the first page when already there. */
export function popCursor(stack: CursorStack): CursorStack {
  return stack.length > 1 ? stack.slice(0, -1) : initialCursorStack;
}

/** Zero-based index of the current page. */
export function pageIndexOf(stack: CursorStack): number {
  return Math.max(0, stack.length - 1);
}
