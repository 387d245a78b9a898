import { describe, expect, it } from "vitest";

import {
  EMPTY_FILTER_STATE,
  type FilterState,
  stateToTree,
  treeQuery,
  treeToState,
  withoutKeyword,
} from "@/components/users/filter-state";
import { FilterTree } from "@/lib/audience/schemas";

const full: FilterState = {
  keywords: { company: ["acme", "globex"], city: ["berlin"] },
  hosted: { lte: 0 },
  attended: { gte: 1, lte: 5 },
  events: [
    { kind: "attended", eventId: "e1", negate: false },
    { kind: "registered", eventId: "e2", negate: true },
  ],
};

describe("filter chips ↔ tree", () => {
  it("round-trips every chip kind through a tree the schema accepts", () => {
    const tree = stateToTree(full, " ann ");
    expect(FilterTree.safeParse(tree).success).toBe(true);
    expect(tree).toEqual({
      all: [
        { field: "company", in: ["acme", "globex"] },
        { field: "city", in: ["berlin"] },
        { field: "hostedEventCount", lte: 0 },
        { field: "attendedEventCount", gte: 1, lte: 5 },
        { attended: "e1" },
        { not: { registered: "e2" } },
        { q: "ann" },
      ],
    });
    expect(treeToState(tree)).toEqual(full);
    expect(treeQuery(tree)).toBe("ann");
  });

  it("no chips is everyone; a missing tree is no chips", () => {
    expect(stateToTree(EMPTY_FILTER_STATE)).toEqual({ all: [] });
    expect(treeToState(null)).toEqual(EMPTY_FILTER_STATE);
    expect(treeQuery(null)).toBe("");
  });

  it("refuses trees the chips cannot show", () => {
    expect(treeToState({ any: [{ q: "a" }] })).toBeNull();
    expect(treeToState({ all: [{ not: { field: "company", in: ["x"] } }] })).toBeNull();
    expect(
      treeToState({
        all: [
          { field: "company", in: ["a"] },
          { field: "company", in: ["b"] },
        ],
      }),
    ).toBeNull();
    // A single condition at the root is fine.
    expect(treeToState({ field: "gender", in: ["female"] })).toEqual({
      keywords: { gender: ["female"] },
      events: [],
    });
  });

  it("withoutKeyword drops only that field", () => {
    expect(withoutKeyword(full, "company").keywords).toEqual({ city: ["berlin"] });
    expect(full.keywords.company).toEqual(["acme", "globex"]);
  });
});
