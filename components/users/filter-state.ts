import {
  type CountField,
  type FilterNode,
  type FilterTree,
  KEYWORD_FIELDS,
  type KeywordField,
} from "@/lib/audience/schemas";

/*
 * What the Users page's filter chips edit, and its lossless mapping to the audience filter tree that
 * lives in the URL. Pure, so server pages and tests use it too.
 */

export type EventConditionKind = "attended" | "registered" | "hosted";

export interface EventCondition {
  kind: EventConditionKind;
  eventId: string;
  /** "did not attend", "not registered for", "did not host". */
  negate: boolean;
}

export interface Range {
  gte?: number;
  lte?: number;
}

export interface FilterState {
  keywords: Partial<Record<KeywordField, string[]>>;
  hosted?: Range;
  attended?: Range;
  events: EventCondition[];
}

export const EMPTY_FILTER_STATE: FilterState = { keywords: {}, events: [] };

export const KEYWORD_LABELS: Record<KeywordField, string> = {
  company: "Company",
  jobTitle: "Job title",
  city: "City",
  state: "State",
  gender: "Gender",
};

export const EVENT_KIND_LABELS: Record<EventConditionKind, { yes: string; no: string }> = {
  attended: { yes: "Attended", no: "Did not attend" },
  registered: { yes: "Registered for", no: "Not registered for" },
  hosted: { yes: "Hosted", no: "Did not host" },
};

const RANGE_FIELDS: Record<"hosted" | "attended", CountField> = {
  hosted: "hostedEventCount",
  attended: "attendedEventCount",
};

function rangeNode(field: CountField, range: Range | undefined): FilterNode | null {
  if (!range || (range.gte === undefined && range.lte === undefined)) return null;
  return {
    field,
    ...(range.gte !== undefined && { gte: range.gte }),
    ...(range.lte !== undefined && { lte: range.lte }),
  };
}

/** The chips as a tree: one `all` of conditions; `q` (the search box) is added as a `{q}` condition. */
export function stateToTree(state: FilterState, q = ""): FilterTree {
  const all: FilterNode[] = [];
  for (const field of KEYWORD_FIELDS) {
    const values = state.keywords[field];
    if (values && values.length > 0) all.push({ field, in: values });
  }
  for (const key of ["hosted", "attended"] as const) {
    const node = rangeNode(RANGE_FIELDS[key], state[key]);
    if (node) all.push(node);
  }
  for (const e of state.events) {
    const node = { [e.kind]: e.eventId } as FilterNode;
    all.push(e.negate ? { not: node } : node);
  }
  if (q.trim()) all.push({ q: q.trim() });
  return { all };
}

function eventOf(node: FilterNode): { kind: EventConditionKind; eventId: string } | null {
  for (const kind of ["attended", "registered", "hosted"] as const) {
    const value = (node as Record<string, unknown>)[kind];
    if (typeof value === "string" && Object.keys(node).length === 1) return { kind, eventId: value };
  }
  return null;
}

/**
 * Reads a tree the chips can show. Returns null for trees they cannot (any/nested not, or the same field
 * twice, e.g. a tree written by hand through the API), so the page can say "custom filter" instead.
 */
export function treeToState(tree: FilterTree | null): FilterState | null {
  if (tree === null) return EMPTY_FILTER_STATE;
  const nodes = "all" in tree ? tree.all : [tree];
  const state: FilterState = { keywords: {}, events: [] };
  for (const node of nodes) {
    // `{q}` belongs to the search box, not to the chips.
    if ("q" in node) continue;
    if ("field" in node && "in" in node) {
      if (state.keywords[node.field]) return null;
      state.keywords[node.field] = node.in;
      continue;
    }
    if ("field" in node) {
      const key = node.field === "hostedEventCount" ? "hosted" : "attended";
      if (state[key]) return null;
      state[key] = {
        ...(node.gte !== undefined && { gte: node.gte }),
        ...(node.lte !== undefined && { lte: node.lte }),
      };
      continue;
    }
    const negate = "not" in node && Object.keys(node).length === 1;
    const event = eventOf(negate ? (node as { not: FilterNode }).not : node);
    if (event) {
      state.events.push({ ...event, negate });
      continue;
    }
    return null;
  }
  return state;
}

/** The search text of a tree's `{q}` condition, if any. */
export function treeQuery(tree: FilterTree | null): string {
  if (tree === null) return "";
  const nodes = "all" in tree ? tree.all : [tree];
  for (const node of nodes) if ("q" in node) return node.q;
  return "";
}

/** Removes one keyword field (used to ask facets "what else could this field be?"). */
export function withoutKeyword(state: FilterState, field: KeywordField): FilterState {
  const keywords = { ...state.keywords };
  delete keywords[field];
  return { ...state, keywords };
}

export function isEmptyState(state: FilterState): boolean {
  return (
    Object.values(state.keywords).every((v) => !v || v.length === 0) &&
    !state.hosted &&
    !state.attended &&
    state.events.length === 0
  );
}

export function rangeLabel(range: Range): string {
  if (range.gte !== undefined && range.lte !== undefined)
    return range.gte === range.lte ? `${range.gte}` : `${range.gte}–${range.lte}`;
  if (range.gte !== undefined) return `≥ ${range.gte}`;
  return `≤ ${range.lte ?? 0}`;
}
