import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import {
  decodeFilterParam,
  encodeFilterParam,
  formatSort,
  parseSort,
  parseTableSearchParams,
  readFilterParam,
  updateTableSearchParams,
} from "@/components/data-table/url-state";

const options = {
  sortableColumns: ["name", "createdAt", "city"],
  defaultSorting: [{ id: "createdAt", desc: true }],
};

describe("parseSort / formatSort", () => {
  it("reads direction from a leading minus and keeps order", () => {
    expect(parseSort("-createdAt,name")).toEqual([
      { id: "createdAt", desc: true },
      { id: "name", desc: false },
    ]);
  });

  it("drops unknown, empty and repeated columns", () => {
    expect(parseSort("name,-,bogus,-name, ,city", options.sortableColumns)).toEqual([
      { id: "name", desc: false },
      { id: "city", desc: false },
    ]);
  });

  it("round-trips any sorting over allowed ids", () => {
    const sortArb = fc.uniqueArray(
      fc.record({ id: fc.constantFrom(...options.sortableColumns), desc: fc.boolean() }),
      { selector: (s) => s.id, maxLength: 3 },
    );
    fc.assert(
      fc.property(sortArb, (sorting) => {
        expect(parseSort(formatSort(sorting))).toEqual(sorting);
      }),
    );
  });
});

describe("parseTableSearchParams", () => {
  it("falls back to defaults for missing or malformed values", () => {
    const state = parseTableSearchParams(new URLSearchParams("size=7&sort=bogus&cursor="), options);
    expect(state).toEqual({
      sorting: [{ id: "createdAt", desc: true }],
      cursor: null,
      pageSize: 25,
      q: "",
      hidden: [],
    });
  });

  it("accepts the record shape Next passes to pages, taking the first of repeated keys", () => {
    const state = parseTableSearchParams(
      { sort: "-name", size: "50", q: ["  ada ", "bob"], cursor: "abc", hide: "city,city,phone" },
      options,
    );
    expect(state).toEqual({
      sorting: [{ id: "name", desc: true }],
      cursor: "abc",
      pageSize: 50,
      q: "ada",
      hidden: ["city", "phone"],
    });
  });
});

describe("updateTableSearchParams", () => {
  const current = new URLSearchParams("sort=name&cursor=c2&q=ada&tab=all");

  it("drops the cursor when the query changes", () => {
    const next = updateTableSearchParams(current, { sorting: [{ id: "city", desc: true }] }, options);
    expect(next.get("sort")).toBe("-city");
    expect(next.has("cursor")).toBe(false);
    expect(next.get("tab")).toBe("all");
  });

  it("keeps the cursor when nothing that shapes the query changed", () => {
    const sameSort = updateTableSearchParams(
      current,
      { sorting: [{ id: "name", desc: false }], q: "ada" },
      options,
    );
    expect(sameSort.get("cursor")).toBe("c2");
    const hidden = updateTableSearchParams(current, { hidden: ["city"] }, options);
    expect(hidden.get("cursor")).toBe("c2");
    expect(hidden.get("hide")).toBe("city");
  });

  it("removes params that equal their defaults", () => {
    const next = updateTableSearchParams(
      current,
      { sorting: [{ id: "createdAt", desc: true }], q: "  ", pageSize: 25, hidden: [] },
      options,
    );
    expect(next.toString()).toBe("tab=all");
  });

  it("sets and clears the cursor explicitly", () => {
    expect(updateTableSearchParams(current, { cursor: "c3" }, options).get("cursor")).toBe("c3");
    expect(updateTableSearchParams(current, { cursor: null }, options).has("cursor")).toBe(false);
  });

  it("drops the cursor when the filter changes", () => {
    const next = updateTableSearchParams(current, { filter: encodeFilterParam({ a: 1 }) }, options);
    expect(next.has("cursor")).toBe(false);
    expect(next.get("filter")).toBeTruthy();
  });

  it("does not mutate its input", () => {
    updateTableSearchParams(current, { q: "zoe" }, options);
    expect(current.toString()).toBe("sort=name&cursor=c2&q=ada&tab=all");
  });
});

describe("filter param", () => {
  // A stand-in tree with the same recursive shape as the audience FilterTree.
  type Node = { op: "and" | "or"; children: Node[] } | { field: string; eq: string };
  const node: z.ZodType<Node> = z.lazy(() =>
    z.union([
      z.object({ op: z.enum(["and", "or"]), children: z.array(node) }),
      z.object({ field: z.string(), eq: z.string() }),
    ]),
  );

  it("round-trips arbitrary JSON-safe trees, including non-ASCII text", () => {
    const leaf = fc.record({ field: fc.string(), eq: fc.string({ unit: "grapheme" }) });
    const tree = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.record({
          op: fc.constantFrom("and" as const, "or" as const),
          children: fc.array(tie("node"), { maxLength: 3 }),
        }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const token = encodeFilterParam(value);
        expect(token).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeFilterParam(token, node)).toEqual(value);
      }),
    );
  });

  it("survives a trip through a real URL", () => {
    const value = { op: "and", children: [{ field: "city", eq: "Zürich / 東京 + more" }] };
    const url = new URL("http://127.0.0.1/users");
    url.searchParams.set("filter", encodeFilterParam(value));
    expect(readFilterParam(new URL(url.toString()).searchParams, node)).toEqual(value);
  });

  it("returns null for missing, corrupt or schema-invalid tokens", () => {
    expect(decodeFilterParam(null, node)).toBeNull();
    expect(decodeFilterParam("%%%not-base64", node)).toBeNull();
    expect(decodeFilterParam(encodeFilterParam("{broken"), node)).toBeNull();
    expect(decodeFilterParam(encodeFilterParam({ field: 1 }), node)).toBeNull();
  });
});
