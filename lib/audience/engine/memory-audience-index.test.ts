import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { MemoryAudienceIndex, type EngineOptions } from "@/lib/audience/engine/memory-audience-index";
import type { AudienceIndex } from "@/lib/audience/port";
import { ReferenceAudienceIndex } from "@/lib/audience/reference";
import {
  FilterTree,
  KEYWORD_FIELDS,
  SORT_FIELDS,
  type AudienceChange,
  type AudienceUser,
  type FilterNode,
  type SortSpec,
} from "@/lib/audience/schemas";

const NOW = new Date("2026-06-01T12:00:00.000Z");
const USER_IDS = Array.from({ length: 14 }, (_, i) => `u${i}`);
const EVENT_IDS = ["e0", "e1", "e2", "e3", "e4"];
// Case and space variants on purpose: matching is case-insensitive and ignores surrounding spaces.
const VALUES: Record<(typeof KEYWORD_FIELDS)[number], string[]> = {
  company: ["Acme", "acme ", " ACME", "Globex", "Initech", "  "],
  jobTitle: ["Engineer", "engineer", "CTO", "Designer"],
  city: ["Berlin", "berlin", "Paris", "Zürich"],
  state: ["BE", "be", "IDF", "ZH"],
  gender: ["female", "Female", "male", "non-binary"],
};
const FIRST = ["Ann", "anna", "Bob", "Zoë", "Ann Marie", "bob"];
const LAST = ["Smith", "smith", "Lee", "O'Neil", "de la Cruz"];
const QUERIES = ["a", "an", "ANN", "ann s", "ann  marie", "smi", "bob@", "zo", "lee", "de la", "x", "o'"];

const arbUser: fc.Arbitrary<AudienceUser> = fc
  .record(
    {
      id: fc.constantFrom(...USER_IDS),
      firstName: fc.constantFrom(...FIRST),
      lastName: fc.constantFrom(...LAST),
      mailbox: fc.constantFrom("ann", "Bob", "zed", "smith.j", "lee"),
      phoneNumber: fc.constantFrom("+49 30 1234", "555-0100"),
      avatar: fc.constantFrom("https://img.example/a.png"),
      gender: fc.constantFrom(...VALUES.gender),
      jobTitle: fc.constantFrom(...VALUES.jobTitle),
      company: fc.constantFrom(...VALUES.company),
      city: fc.constantFrom(...VALUES.city),
      state: fc.constantFrom(...VALUES.state),
      hostedEventCount: fc.integer({ min: 0, max: 6 }),
      attendedEventCount: fc.integer({ min: 0, max: 6 }),
      createdDay: fc.integer({ min: 0, max: 5 }),
      canonical: fc.boolean(),
    },
    {
      requiredKeys: [
        "id",
        "firstName",
        "lastName",
        "mailbox",
        "hostedEventCount",
        "attendedEventCount",
        "createdDay",
        "canonical",
      ],
    },
  )
  .map(({ mailbox, createdDay, canonical, ...rest }) => ({
    ...rest,
    email: `${mailbox}@example.com`,
    // Non-canonical ISO strings must come back verbatim.
    createdAt: canonical
      ? new Date(Date.UTC(2026, 0, 1 + createdDay)).toISOString()
      : `2026-01-0${1 + createdDay}T00:00:00Z`,
  }));

const arbEventId = fc.constantFrom(...EVENT_IDS);
const arbUserId = fc.constantFrom(...USER_IDS);
const arbLink = fc.record({ eventId: arbEventId, userId: arbUserId });

const arbChange: fc.Arbitrary<AudienceChange> = fc.oneof(
  { arbitrary: arbUser.map((user) => ({ type: "user.upsert" as const, user })), weight: 5 },
  { arbitrary: arbUserId.map((id) => ({ type: "user.remove" as const, id })), weight: 1 },
  {
    arbitrary: fc
      .record({ id: arbEventId, endOffsetDays: fc.constantFrom(-2, -1, 0, 0, 1) })
      .map(({ id, endOffsetDays }) => {
        const end = new Date(NOW.getTime() + endOffsetDays * 86_400_000);
        return {
          type: "event.upsert" as const,
          event: { id, startAt: new Date(end.getTime() - 3_600_000).toISOString(), endAt: end.toISOString() },
        };
      }),
    weight: 2,
  },
  { arbitrary: arbEventId.map((id) => ({ type: "event.remove" as const, id })), weight: 1 },
  { arbitrary: arbLink.map((l) => ({ type: "registration.put" as const, ...l })), weight: 5 },
  { arbitrary: arbLink.map((l) => ({ type: "registration.remove" as const, ...l })), weight: 2 },
  { arbitrary: arbLink.map((l) => ({ type: "host.put" as const, ...l })), weight: 2 },
  { arbitrary: arbLink.map((l) => ({ type: "host.remove" as const, ...l })), weight: 1 },
);

const arbLeaf: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.constantFrom(...KEYWORD_FIELDS).chain((field) =>
    fc.record({
      field: fc.constant(field),
      in: fc.uniqueArray(fc.constantFrom(...VALUES[field].filter((v) => v.trim() !== ""), "Nope"), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  ),
  fc
    .record({
      field: fc.constantFrom("hostedEventCount" as const, "attendedEventCount" as const),
      a: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      b: fc.integer({ min: 0, max: 6 }),
      lowOnly: fc.boolean(),
    })
    .map(({ field, a, b, lowOnly }) => {
      if (a === undefined) return lowOnly ? { field, gte: b } : { field, lte: b };
      return { field, gte: Math.min(a, b), lte: Math.max(a, b) };
    }),
  fc.constantFrom(...QUERIES).map((q) => ({ q })),
  arbEventId.map((attended) => ({ attended })),
  arbEventId.map((registered) => ({ registered })),
  arbEventId.map((hosted) => ({ hosted })),
);

const arbTree: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthIdentifier: "tree" },
    arbLeaf,
    fc.array(tie("node"), { maxLength: 3 }).map((all) => ({ all })),
    fc.array(tie("node"), { maxLength: 3 }).map((any) => ({ any })),
    tie("node").map((not) => ({ not })),
  ),
})).node;

const arbSort: fc.Arbitrary<SortSpec> = fc.record({
  field: fc.constantFrom(...SORT_FIELDS),
  order: fc.constantFrom("asc" as const, "desc" as const),
});

const arbQuery = fc.record({ tree: arbTree, sort: arbSort, limit: fc.integer({ min: 1, max: 6 }) });
type Q = { tree: FilterNode; sort: SortSpec; limit: number };

async function allPages(index: AudienceIndex, q: Q) {
  const filter = FilterTree.parse(q.tree);
  const pages = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await index.query({ filter, sort: q.sort, limit: q.limit, cursor, now: NOW });
    pages.push(page);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error("paging did not terminate");
}

async function expectSame(engine: AudienceIndex, reference: AudienceIndex, queries: Q[]): Promise<void> {
  for (const q of queries) {
    const [got, want] = [await allPages(engine, q), await allPages(reference, q)];
    expect(got).toEqual(want);
    // Every match exactly once across pages.
    const ids = got.flatMap((p) => p.items.map((u) => u.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(want[0]!.total);
    const filter = FilterTree.parse(q.tree);
    expect(await engine.count(filter, NOW)).toBe(want[0]!.total);
    const strip = (f: Awaited<ReturnType<AudienceIndex["facets"]>>) =>
      Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k, v!.map(({ value, count }) => ({ value, count }))]),
      );
    const fields = [...KEYWORD_FIELDS];
    expect(strip(await engine.facets(filter, fields, 3, NOW))).toEqual(
      strip(await reference.facets(filter, fields, 3, NOW)),
    );
  }
  expect(engine.stats()).toMatchObject(reference.stats());
}

const VARIANTS: [string, EngineOptions][] = [
  ["default", {}],
  ["walk, tiny overlay, cached prefixes", { pagePath: "walk", maxDirty: 2, prefixCacheMinRun: 1 }],
  ["sparse, small overlay, eager bitsets", { pagePath: "sparse", maxDirty: 6, bitsetMin: 2 }],
];

describe.each(VARIANTS)("MemoryAudienceIndex (%s) against the brute-force reference", (_name, options) => {
  it("returns the same pages, totals, cursors and facets, also after updates and replays", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbChange, { maxLength: 80, size: "medium" }),
        fc.array(arbChange, { maxLength: 40, size: "medium" }),
        fc.array(arbQuery, { minLength: 1, maxLength: 4 }),
        async (load, updates, queries) => {
          const engine = new MemoryAudienceIndex(options);
          const reference = new ReferenceAudienceIndex();
          await engine.applyChanges(load);
          await reference.applyChanges(load);
          await expectSame(engine, reference, queries);
          // Updates after the sort orders exist go through the dirty overlay; replaying them must be a no-op.
          await engine.applyChanges(updates);
          await reference.applyChanges(updates);
          await expectSame(engine, reference, queries);
          await engine.applyChanges([...load, ...updates]);
          await engine.applyChanges(updates);
          await reference.applyChanges([...load, ...updates]);
          await expectSame(engine, reference, queries);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("MemoryAudienceIndex", () => {
  it("swaps in a rebuilt index that equals one fed the same changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbChange, { maxLength: 80, size: "medium" }),
        fc.array(arbQuery, { minLength: 1, maxLength: 3 }),
        async (changes, queries) => {
          const engine = new MemoryAudienceIndex();
          await engine.applyChanges([
            {
              type: "user.upsert",
              user: {
                id: "stale",
                firstName: "S",
                lastName: "T",
                email: "s@t",
                hostedEventCount: 0,
                attendedEventCount: 0,
                createdAt: NOW.toISOString(),
              },
            },
          ]);
          async function* source() {
            yield changes.slice(0, 20);
            yield changes.slice(20);
          }
          const result = await engine.rebuild(source());
          const reference = new ReferenceAudienceIndex();
          await reference.applyChanges(changes);
          expect(result.users).toBe(reference.stats().users);
          await expectSame(engine, reference, queries);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects a cursor made for another sort", async () => {
    const engine = new MemoryAudienceIndex();
    const users = USER_IDS.slice(0, 3).map((id, i) => ({
      type: "user.upsert" as const,
      user: {
        id,
        firstName: "A",
        lastName: `L${i}`,
        email: `${id}@x`,
        hostedEventCount: i,
        attendedEventCount: 0,
        createdAt: NOW.toISOString(),
      },
    }));
    await engine.applyChanges(users);
    const page = await engine.query({
      filter: { all: [] },
      sort: { field: "lastName", order: "asc" },
      limit: 1,
    });
    expect(page.nextCursor).not.toBeNull();
    await expect(
      engine.query({
        filter: { all: [] },
        sort: { field: "email", order: "asc" },
        limit: 1,
        cursor: page.nextCursor!,
      }),
    ).rejects.toMatchObject({ code: "validation", errors: [{ field: "cursor" }] });
    await expect(
      engine.query({ filter: { all: [] }, limit: 1, cursor: "not-a-cursor" }),
    ).rejects.toMatchObject({
      errors: [{ field: "cursor" }],
    });
  });
});
