import { z } from "zod";

/**
 * The audience filter language: one JSON tree shared by the API, the dashboard and campaigns.
 * Kept free of server-only imports so client components and tsx scripts can use it.
 */

export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_NODES = 200;
export const MAX_VALUES_PER_CONDITION = 100;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

export const KEYWORD_FIELDS = ["company", "jobTitle", "city", "state", "gender"] as const;
export const KeywordField = z.enum(KEYWORD_FIELDS);
export type KeywordField = z.infer<typeof KeywordField>;

export const COUNT_FIELDS = ["hostedEventCount", "attendedEventCount"] as const;
export const CountField = z.enum(COUNT_FIELDS);
export type CountField = z.infer<typeof CountField>;

export const FacetField = KeywordField;
export type FacetField = KeywordField;

export const SORT_FIELDS = [
  "lastName",
  "firstName",
  "email",
  "company",
  "jobTitle",
  "city",
  "state",
  "createdAt",
  "hostedEventCount",
  "attendedEventCount",
] as const;
export const SortField = z.enum(SORT_FIELDS);
export type SortField = z.infer<typeof SortField>;

export const SortSpec = z.strictObject({
  field: SortField,
  order: z.enum(["asc", "desc"]).default("asc"),
});
export type SortSpec = z.output<typeof SortSpec>;

export const DEFAULT_SORT: SortSpec = { field: "lastName", order: "asc" };

const Id = z.string().trim().min(1).max(128);
const Count = z.int().min(0).max(1_000_000_000);

/** `{"field":"company","in":["Acme","Globex"]}`: case-insensitive exact match on any of the values. */
export const KeywordCondition = z.strictObject({
  field: KeywordField,
  in: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_VALUES_PER_CONDITION),
});
export type KeywordCondition = z.output<typeof KeywordCondition>;

/** `{"field":"attendedEventCount","gte":1,"lte":5}`: inclusive bounds, at least one of them. */
export const CountCondition = z
  .strictObject({ field: CountField, gte: Count.optional(), lte: Count.optional() })
  .refine((c) => c.gte !== undefined || c.lte !== undefined, { message: "Give gte, lte or both." })
  .refine((c) => c.gte === undefined || c.lte === undefined || c.gte <= c.lte, {
    message: "gte must not exceed lte.",
    path: ["gte"],
  });
export type CountCondition = z.output<typeof CountCondition>;

/** `{"q":"ann"}`: prefix of email, first name, last name or "first last". */
export const SearchCondition = z.strictObject({ q: z.string().trim().min(1).max(100) });
export type SearchCondition = z.output<typeof SearchCondition>;

/** Registered for the event and the event ended at or before the query's `now`. */
export const AttendedCondition = z.strictObject({ attended: Id });
export const RegisteredCondition = z.strictObject({ registered: Id });
/** Owner or co-host of the event. */
export const HostedCondition = z.strictObject({ hosted: Id });

export type FilterCondition =
  | KeywordCondition
  | CountCondition
  | SearchCondition
  | z.output<typeof AttendedCondition>
  | z.output<typeof RegisteredCondition>
  | z.output<typeof HostedCondition>;

export type FilterNode =
  { all: FilterNode[] } | { any: FilterNode[] } | { not: FilterNode } | FilterCondition;

/** Structural schema; use `FilterTree` to parse untrusted input (it also enforces depth and size limits). */
export const FilterNode: z.ZodType<FilterNode> = z.lazy(() =>
  z.union(
    [
      z.strictObject({ all: z.array(FilterNode) }),
      z.strictObject({ any: z.array(FilterNode) }),
      z.strictObject({ not: FilterNode }),
      KeywordCondition,
      CountCondition,
      SearchCondition,
      AttendedCondition,
      RegisteredCondition,
      HostedCondition,
    ],
    {
      error: () =>
        "Not a filter node: use {all:[...]}, {any:[...]}, {not:...}, {field,in:[...]}, {field,gte,lte}, {q}, {attended}, {registered} or {hosted}.",
    },
  ),
);

/**
 * Walks the raw JSON before zod does, so a hostile 100k-deep tree is refused without deep recursion,
 * and the error names the first path that goes too deep.
 */
function checkShape(raw: unknown, ctx: z.RefinementCtx): void {
  let nodes = 0;
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [
    { node: raw, depth: 1, path: [] },
  ];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    nodes += 1;
    if (nodes > MAX_FILTER_NODES) {
      ctx.addIssue({ code: "custom", message: `A filter may have at most ${MAX_FILTER_NODES} nodes.`, path });
      return;
    }
    if (typeof node !== "object" || node === null || Array.isArray(node)) continue;
    const obj = node as Record<string, unknown>;
    const children: [unknown, (string | number)[]][] = [];
    for (const key of ["all", "any"] as const) {
      const list = obj[key];
      if (Array.isArray(list)) list.forEach((child, i) => children.push([child, [...path, key, i]]));
    }
    if ("not" in obj) children.push([obj.not, [...path, "not"]]);
    for (const [child, childPath] of children) {
      if (depth + 1 > MAX_FILTER_DEPTH) {
        ctx.addIssue({
          code: "custom",
          message: `A filter may nest at most ${MAX_FILTER_DEPTH} levels deep.`,
          path: childPath,
        });
        return;
      }
      stack.push({ node: child, depth: depth + 1, path: childPath });
    }
  }
}

/**
 * A filter tree: `{all:[...]}` (empty = everyone), `{any:[...]}` (empty = no one), `{not: node}`, or a condition.
 * Depth at most 8 (the root is level 1), at most 200 nodes and 100 values per condition.
 */
export const FilterTree = z.unknown().superRefine(checkShape).pipe(FilterNode);
export type FilterTree = FilterNode;

export const MATCH_ALL: FilterTree = { all: [] };

export const AudienceUser = z.object({
  id: z.string().min(1),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phoneNumber: z.string().optional(),
  avatar: z.string().optional(),
  gender: z.string().optional(),
  jobTitle: z.string().optional(),
  company: z.string().optional(),
  city: z.string().optional(),
  state: z.string().optional(),
  hostedEventCount: z.int().min(0),
  attendedEventCount: z.int().min(0),
  /** ISO-8601 timestamp. */
  createdAt: z.string(),
});
export type AudienceUser = z.infer<typeof AudienceUser>;

export const AudienceEvent = z.object({ id: z.string().min(1), startAt: z.string(), endAt: z.string() });
export type AudienceEvent = z.infer<typeof AudienceEvent>;

/**
 * One change to the read model. Every change is idempotent (applying it twice equals once) and the index
 * tolerates any order across items: a registration may arrive before its user or event.
 */
export const AudienceChange = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user.upsert"), user: AudienceUser }),
  z.object({ type: z.literal("user.remove"), id: z.string().min(1) }),
  z.object({ type: z.literal("event.upsert"), event: AudienceEvent }),
  z.object({ type: z.literal("event.remove"), id: z.string().min(1) }),
  z.object({ type: z.literal("registration.put"), eventId: z.string().min(1), userId: z.string().min(1) }),
  z.object({ type: z.literal("registration.remove"), eventId: z.string().min(1), userId: z.string().min(1) }),
  z.object({ type: z.literal("host.put"), eventId: z.string().min(1), userId: z.string().min(1) }),
  z.object({ type: z.literal("host.remove"), eventId: z.string().min(1), userId: z.string().min(1) }),
]);
export type AudienceChange = z.infer<typeof AudienceChange>;

export interface AudienceQuery {
  filter: FilterTree;
  sort?: SortSpec;
  limit: number;
  cursor?: string;
  /** Time that decides whether an event has ended ("attended"); defaults to the current time. */
  now?: Date;
}

export interface AudiencePage {
  items: AudienceUser[];
  total: number;
  nextCursor: string | null;
}

export interface FacetBucket {
  /** Normalised value (trimmed, lower case): feed it back into a `{field, in}` condition as is. */
  value: string;
  count: number;
  /** One original spelling of the value, for display. */
  label?: string;
}
