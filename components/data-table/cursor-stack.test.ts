import { describe, expect, it } from "vitest";

import {
  currentCursor,
  initialCursorStack,
  pageIndexOf,
  popCursor,
  pushCursor,
} from "@/components/data-table/cursor-stack";

describe("cursor stack", () => {
  it("starts on the first page with no cursor", () => {
    expect(currentCursor(initialCursorStack)).toBeNull();
    expect(pageIndexOf(initialCursorStack)).toBe(0);
  });

  it("walks forward and back through the cursors it was given", () => {
    const page3 = pushCursor(pushCursor(initialCursorStack, "c2"), "c3");
    expect(currentCursor(page3)).toBe("c3");
    expect(pageIndexOf(page3)).toBe(2);
    const page2 = popCursor(page3);
    expect(currentCursor(page2)).toBe("c2");
    expect(currentCursor(popCursor(page2))).toBeNull();
  });

  it("stays on the first page when going back from it", () => {
    expect(popCursor(initialCursorStack)).toEqual([null]);
    expect(popCursor(popCursor(initialCursorStack))).toEqual([null]);
  });

  it("never mutates the previous stack", () => {
    const page2 = pushCursor(initialCursorStack, "c2");
    pushCursor(page2, "c3");
    popCursor(page2);
    expect(page2).toEqual([null, "c2"]);
  });
});
