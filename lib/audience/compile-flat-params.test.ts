import { describe, expect, it } from "vitest";

import { compileFlatParams } from "@/lib/audience/compile-flat-params";
import { decodeCursor, encodeCursor } from "@/lib/audience/cursor";
import { ValidationError } from "@/lib/errors";

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).errors.map((e) => e.field);
  }
  throw new Error("expected a ValidationError");
}

const compile = (qs: string) => compileFlatParams(new URLSearchParams(qs));

describe("compileFlatParams", () => {
  it("defaults to everyone, sorted by last name, 50 per page", () => {
    expect(compile("")).toEqual({
      filter: { all: [] },
      sort: { field: "lastName", order: "asc" },
      limit: 50,
      cursor: undefined,
    });
  });

  it("compiles each flat parameter into one condition, ANDed in a fixed order", () => {
    const got = compile(
      "q=Ann&state=BE&city=Berlin&jobTitle=CTO&company=Acme&company=Globex&gender=female" +
        "&hostedMin=1&hostedMax=3&attendedMin=2&attended=e1&registered=e2&hosted=e3",
    );
    expect(got.filter).toEqual({
      all: [
        { field: "company", in: ["Acme", "Globex"] },
        { field: "jobTitle", in: ["CTO"] },
        { field: "city", in: ["Berlin"] },
        { field: "state", in: ["BE"] },
        { field: "gender", in: ["female"] },
        { q: "Ann" },
        { field: "hostedEventCount", gte: 1, lte: 3 },
        { field: "attendedEventCount", gte: 2 },
        { attended: "e1" },
        { registered: "e2" },
        { hosted: "e3" },
      ],
    });
  });

  it.each([
    ["attendedMax=4", { field: "attendedEventCount", lte: 4 }],
    ["hostedMax=0", { field: "hostedEventCount", lte: 0 }],
    ["company=%20Acme%20", { field: "company", in: ["Acme"] }],
  ])("compiles %s", (qs, condition) => {
    expect(compile(qs).filter).toEqual({ all: [condition] });
  });

  it("accepts a record with repeated values, as Next.js passes searchParams", () => {
    expect(compileFlatParams({ city: ["Paris", "Berlin"], q: "bo", extra: undefined }).filter).toEqual({
      all: [{ field: "city", in: ["Paris", "Berlin"] }, { q: "bo" }],
    });
  });

  it("gives the same result for the original service's names as for the new ones", () => {
    const pairs: [string, string][] = [
      ["job_title=CTO&job_title=CEO", "jobTitle=CTO&jobTitle=CEO"],
      ["events_hosted_min=1&events_hosted_max=9", "hostedMin=1&hostedMax=9"],
      ["events_attended_min=2&events_attended_max=5", "attendedMin=2&attendedMax=5"],
      ["sort_by=created_at&sort_order=desc", "sort=-createdAt"],
      ["sort_by=last_name", "sort=lastName"],
      ["sort_by=events_attended&sort_order=asc", "sort=attendedEventCount"],
      ["size=20", "limit=20"],
      ["size=20&page=3", `limit=20&cursor=${encodeCursor({ kind: "offset", offset: 40 })}`],
      ["page=1&size=10", "limit=10"],
    ];
    for (const [old, current] of pairs) expect(compile(old)).toEqual(compile(current));
  });

  it("parses sort fields in either direction", () => {
    expect(compile("sort=-hostedEventCount").sort).toEqual({ field: "hostedEventCount", order: "desc" });
    expect(compile("sort=email").sort).toEqual({ field: "email", order: "asc" });
  });

  it("turns page/size into an offset cursor", () => {
    const got = compile("page=4&size=25");
    expect(got.limit).toBe(25);
    expect(decodeCursor(got.cursor!)).toEqual({ kind: "offset", offset: 75 });
  });

  it("passes a keyset cursor through after checking it fits the sort", () => {
    const cursor = encodeCursor({ kind: "after", field: "email", order: "desc", key: "a@b", id: "u1" });
    expect(compile(`sort=-email&cursor=${cursor}`).cursor).toBe(cursor);
    expect(fieldsOf(() => compile(`sort=email&cursor=${cursor}`))).toEqual(["cursor"]);
  });

  it("ANDs a JSON filter tree with the flat conditions, splicing an all root", () => {
    const tree = { all: [{ not: { registered: "next" } }, { attended: "last" }] };
    expect(compile(`company=Acme&filter=${encodeURIComponent(JSON.stringify(tree))}`).filter).toEqual({
      all: [{ field: "company", in: ["Acme"] }, { not: { registered: "next" } }, { attended: "last" }],
    });
    const anyTree = { any: [{ q: "ann" }, { q: "bob" }] };
    expect(compile(`filter=${encodeURIComponent(JSON.stringify(anyTree))}`).filter).toEqual(anyTree);
  });

  it("treats empty values as absent", () => {
    expect(compile("company=&q=%20&limit=")).toEqual(compile(""));
  });

  it.each([
    ["hostedMin=5&hostedMax=2", "hostedMin"],
    ["events_attended_min=5&events_attended_max=2", "events_attended_min"],
    ["hostedMin=-1", "hostedMin"],
    ["attendedMax=1.5", "attendedMax"],
    ["events_hosted_max=abc", "events_hosted_max"],
    ["sort=age", "sort"],
    ["sort=-", "sort"],
    ["sort_by=password", "sort_by"],
    ["sort_by=email&sort_order=up", "sort_order"],
    ["sort_order=desc", "sort_order"],
    ["sort=email&sort_by=email", "sort_by"],
    ["limit=501", "limit"],
    ["limit=0", "limit"],
    ["size=1000", "size"],
    ["limit=ten", "limit"],
    ["page=0", "page"],
    ["page=2&cursor=abc", "page"],
    ["cursor=not-a-cursor", "cursor"],
    ["colour=red", "colour"],
    ["q=a&q=b", "q"],
    ["limit=5&size=6", "size"],
    ["filter=%7Bnope", "filter"],
    ["filter=%7B%22field%22%3A%22company%22%7D", "filter"],
    [`q=${"x".repeat(101)}`, "q"],
    [`job_title=${"x".repeat(201)}`, "job_title"],
    [Array.from({ length: 101 }, (_, i) => `city=c${i}`).join("&"), "city"],
  ])("rejects %s naming %s", (qs, field) => {
    expect(fieldsOf(() => compile(qs))).toContain(field);
  });

  it("reports every bad parameter at once", () => {
    expect(fieldsOf(() => compile("hostedMin=x&sort=nope&limit=9999&what=1")).sort()).toEqual(
      ["hostedMin", "limit", "sort", "what"].sort(),
    );
  });

  it("rejects a filter tree deeper than 8, naming the parameter and the path", () => {
    let deep: unknown = { q: "a" };
    for (let i = 0; i < 8; i++) deep = { not: deep };
    try {
      compile(`filter=${encodeURIComponent(JSON.stringify(deep))}`);
      throw new Error("expected a ValidationError");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const [issue] = (error as ValidationError).errors;
      expect(issue?.field).toBe("filter");
      expect(issue?.message).toContain("not.not.not.not.not.not.not.not");
    }
  });
});
