import { decodeCursor, encodeCursor } from "@/lib/audience/cursor";
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_SORT,
  FilterTree,
  MAX_PAGE_SIZE,
  MAX_VALUES_PER_CONDITION,
  SORT_FIELDS,
  type FilterNode,
  type SortField,
  type SortSpec,
} from "@/lib/audience/schemas";
import { ValidationError, type FieldIssue } from "@/lib/errors";

export type FlatParams = URLSearchParams | Record<string, string | string[] | undefined>;

export interface CompiledAudienceQuery {
  filter: FilterTree;
  sort: SortSpec;
  limit: number;
  cursor: string | undefined;
}

/**
 * Every accepted parameter, keyed by the name callers send, mapped to its canonical (camelCase) name.
 * The snake_case names are the original Python service's, kept so old links and scripts still work.
 */
const PARAMS = {
  company: "company",
  jobTitle: "jobTitle",
  job_title: "jobTitle",
  city: "city",
  state: "state",
  gender: "gender",
  q: "q",
  hostedMin: "hostedMin",
  events_hosted_min: "hostedMin",
  hostedMax: "hostedMax",
  events_hosted_max: "hostedMax",
  attendedMin: "attendedMin",
  events_attended_min: "attendedMin",
  attendedMax: "attendedMax",
  events_attended_max: "attendedMax",
  attended: "attended",
  registered: "registered",
  hosted: "hosted",
  filter: "filter",
  sort: "sort",
  sort_by: "sort_by",
  sort_order: "sort_order",
  limit: "limit",
  size: "limit",
  page: "page",
  cursor: "cursor",
} as const;
type Canonical = (typeof PARAMS)[keyof typeof PARAMS];

const REPEATABLE = new Set<Canonical>([
  "company",
  "jobTitle",
  "city",
  "state",
  "gender",
  "attended",
  "registered",
  "hosted",
]);

const SORT_ALIASES: Record<string, SortField> = {
  last_name: "lastName",
  first_name: "firstName",
  job_title: "jobTitle",
  created_at: "createdAt",
  hosted_event_count: "hostedEventCount",
  attended_event_count: "attendedEventCount",
  events_hosted: "hostedEventCount",
  events_attended: "attendedEventCount",
};

function sortFieldOf(name: string): SortField | undefined {
  if ((SORT_FIELDS as readonly string[]).includes(name)) return name as SortField;
  return SORT_ALIASES[name];
}

function entriesOf(params: FlatParams): [string, string][] {
  if (params instanceof URLSearchParams) return [...params.entries()];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}

/**
 * Compiles the audience list's flat query parameters (new camelCase names and the original service's
 * snake_case ones alike) into one filter tree plus sort, page size and cursor. Empty values count as absent.
 * Legacy `page`/`size` paging becomes an offset cursor; the returned nextCursor is then a keyset one.
 * @throws ValidationError whose errors[] name each offending parameter as the caller spelled it.
 */
export function compileFlatParams(params: FlatParams): CompiledAudienceQuery {
  const issues: FieldIssue[] = [];
  const fail = (field: string, message: string) => issues.push({ field, message });
  // canonical name -> values, plus the spelling the caller used (for error messages).
  const values = new Map<Canonical, string[]>();
  const spelled = new Map<Canonical, string>();

  for (const [name, raw] of entriesOf(params)) {
    const canonical = (PARAMS as Record<string, Canonical | undefined>)[name];
    if (canonical === undefined) {
      fail(name, "Unknown parameter.");
      continue;
    }
    const value = raw.trim();
    if (value === "") continue;
    const list = values.get(canonical) ?? [];
    if (!REPEATABLE.has(canonical) && list.length > 0 && !list.includes(value)) {
      fail(name, `Give ${name} only once.`);
      continue;
    }
    if (!list.includes(value)) list.push(value);
    values.set(canonical, list);
    if (!spelled.has(canonical)) spelled.set(canonical, name);
  }
  const one = (c: Canonical) => values.get(c)?.[0];
  const nameOf = (c: Canonical) => spelled.get(c) ?? c;

  const integer = (c: Canonical, min: number, max: number): number | undefined => {
    const raw = one(c);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      fail(nameOf(c), `Use a whole number from ${min} to ${max}.`);
      return undefined;
    }
    return Number(raw);
  };

  // Conditions, each remembered with the parameter that produced it so tree issues map back to it.
  const conditions: FilterNode[] = [];
  const sources: string[] = [];
  const add = (node: FilterNode, source: string) => {
    conditions.push(node);
    sources.push(source);
  };

  for (const field of ["company", "jobTitle", "city", "state", "gender"] as const) {
    const list = values.get(field);
    if (!list) continue;
    if (list.length > MAX_VALUES_PER_CONDITION)
      fail(nameOf(field), `Give at most ${MAX_VALUES_PER_CONDITION} values.`);
    else add({ field, in: list }, nameOf(field));
  }
  const q = one("q");
  if (q !== undefined) add({ q }, "q");

  const ranges = [
    ["hostedEventCount", "hostedMin", "hostedMax"],
    ["attendedEventCount", "attendedMin", "attendedMax"],
  ] as const;
  for (const [field, minName, maxName] of ranges) {
    const gte = integer(minName, 0, 1_000_000_000);
    const lte = integer(maxName, 0, 1_000_000_000);
    if (gte !== undefined && lte !== undefined && gte > lte) {
      fail(nameOf(minName), `${nameOf(minName)} must not exceed ${nameOf(maxName)}.`);
    } else if (gte !== undefined || lte !== undefined) {
      add(
        { field, ...(gte !== undefined && { gte }), ...(lte !== undefined && { lte }) },
        nameOf(gte !== undefined ? minName : maxName),
      );
    }
  }
  for (const c of ["attended", "registered", "hosted"] as const) {
    for (const id of values.get(c) ?? []) add({ [c]: id } as FilterNode, c);
  }

  const sort = compileSort(one("sort"), one("sort_by"), one("sort_order"), fail);
  const limit = integer("limit", 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const page = integer("page", 1, 1_000_000);

  let cursor = one("cursor");
  if (cursor !== undefined) {
    if (page !== undefined) fail("page", "Use either page or cursor, not both.");
    try {
      decodeCursor(cursor, sort);
    } catch (error) {
      if (error instanceof ValidationError) issues.push(...error.errors);
      else throw error;
    }
  } else if (page !== undefined && page > 1) {
    cursor = encodeCursor({ kind: "offset", offset: (page - 1) * limit });
  }

  // Flat values are validated by the same schema as trees; issues map back to the parameter.
  const checked = FilterTree.safeParse({ all: conditions });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const index = typeof issue.path[1] === "number" ? issue.path[1] : -1;
      fail(sources[index] ?? "filter", issue.message);
    }
  }
  const flat = checked.success && "all" in checked.data ? checked.data.all : [];
  const tree = compileTreeParam(one("filter"), fail);
  let filter: FilterTree = { all: flat };
  // Splicing an `all` root keeps the combined tree no deeper than the one sent.
  if (tree && "all" in tree) filter = { all: [...flat, ...tree.all] };
  else if (tree) filter = flat.length === 0 ? tree : { all: [...flat, tree] };

  if (issues.length > 0) throw new ValidationError("Invalid audience query parameters.", issues);
  return { filter, sort, limit, cursor };
}

function compileTreeParam(
  raw: string | undefined,
  fail: (field: string, message: string) => void,
): FilterTree | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    fail("filter", "Not valid JSON.");
    return undefined;
  }
  const parsed = FilterTree.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const at = issue.path.length > 0 ? ` (at ${issue.path.join(".")})` : "";
    fail("filter", `${issue.message}${at}`);
  }
  return undefined;
}

function compileSort(
  sort: string | undefined,
  sortBy: string | undefined,
  sortOrder: string | undefined,
  fail: (field: string, message: string) => void,
): SortSpec {
  const known = `One of ${SORT_FIELDS.join(", ")}.`;
  if (sort !== undefined && sortBy !== undefined) fail("sort_by", "Use either sort or sort_by, not both.");
  if (sortOrder !== undefined && sortOrder !== "asc" && sortOrder !== "desc")
    fail("sort_order", "Use asc or desc.");
  if (sortOrder !== undefined && sortBy === undefined)
    fail("sort_order", "sort_order goes with sort_by; use sort=-field.");
  if (sort !== undefined) {
    const desc = sort.startsWith("-");
    const field = sortFieldOf(desc ? sort.slice(1) : sort);
    if (!field) {
      fail("sort", known);
      return DEFAULT_SORT;
    }
    return { field, order: desc ? "desc" : "asc" };
  }
  if (sortBy !== undefined) {
    const field = sortFieldOf(sortBy);
    if (!field) {
      fail("sort_by", known);
      return DEFAULT_SORT;
    }
    return { field, order: sortOrder === "desc" ? "desc" : "asc" };
  }
  return DEFAULT_SORT;
}
