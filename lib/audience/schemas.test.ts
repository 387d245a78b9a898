import { describe, expect, it } from "vitest";

import { FilterTree, MAX_FILTER_DEPTH } from "@/lib/audience/schemas";

function nest(depth: number): unknown {
  let node: unknown = { field: "company", in: ["Acme"] };
  for (let i = 1; i < depth; i++) node = i % 2 === 0 ? { not: node } : { any: [{ q: "x" }, node] };
  return node;
}

describe("FilterTree", () => {
  it("accepts every node type and trims values", () => {
    const tree = {
      all: [
        { field: "company", in: [" Acme ", "Globex"] },
        { field: "attendedEventCount", gte: 1, lte: 5 },
        { field: "hostedEventCount", gte: 0 },
        { q: " ann " },
        { attended: "e1" },
        { not: { registered: "e2" } },
        { any: [{ hosted: "e3" }, { field: "gender", in: ["female"] }] },
        { any: [] },
      ],
    };
    const parsed = FilterTree.parse(tree) as { all: unknown[] };
    expect(parsed.all[0]).toEqual({ field: "company", in: ["Acme", "Globex"] });
    expect(parsed.all[3]).toEqual({ q: "ann" });
  });

  it(`accepts depth ${MAX_FILTER_DEPTH} and rejects depth ${MAX_FILTER_DEPTH + 1} naming the path`, () => {
    expect(FilterTree.safeParse(nest(MAX_FILTER_DEPTH)).success).toBe(true);
    const result = FilterTree.safeParse(nest(MAX_FILTER_DEPTH + 1));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/at most 8 levels/);
    expect(result.error?.issues[0]?.path.length).toBeGreaterThan(MAX_FILTER_DEPTH);
  });

  it("refuses a very deep tree without overflowing the stack", () => {
    let node: unknown = { q: "a" };
    for (let i = 0; i < 100_000; i++) node = { not: node };
    expect(FilterTree.safeParse(node).success).toBe(false);
  });

  it("limits the number of nodes and values", () => {
    const wide = { any: Array.from({ length: 200 }, () => ({ q: "a" })) };
    expect(FilterTree.safeParse(wide).success).toBe(false);
    expect(FilterTree.safeParse({ any: wide.any.slice(0, 199) }).success).toBe(true);
    const many = { field: "city", in: Array.from({ length: 101 }, (_, i) => `c${i}`) };
    expect(FilterTree.safeParse(many).success).toBe(false);
  });

  it.each([
    ["a bare value", "Acme"],
    ["an unknown field", { field: "password", in: ["x"] }],
    ["an empty value list", { field: "city", in: [] }],
    ["a blank value", { field: "city", in: ["  "] }],
    ["a range without bounds", { field: "hostedEventCount" }],
    ["an inverted range", { field: "hostedEventCount", gte: 5, lte: 1 }],
    ["a negative bound", { field: "attendedEventCount", gte: -1 }],
    ["a fractional bound", { field: "attendedEventCount", lte: 1.5 }],
    ["a range on a text field", { field: "company", gte: 1 }],
    ["two operators in one node", { all: [], any: [] }],
    ["an extra key", { q: "a", extra: 1 }],
    ["an empty search", { q: "   " }],
    ["a not around a list", { not: [{ q: "a" }] }],
    ["an empty event id", { attended: "" }],
  ])("rejects %s", (_name, input) => {
    expect(FilterTree.safeParse(input).success).toBe(false);
  });
});
