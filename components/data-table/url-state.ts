import type { SortingState } from "@tanstack/react-table";

/**
 * Table state that lives in the URL so views are shareable and survive reloads:
 * `?sort=-createdAt&q=ada&size=50&cursor=abc&hide=phone,city&filter=<base64url JSON>`.
 * Pure and isomorphic: server pages parse `searchParams`, client components write them back.
 */
export interface TableUrlState {
  sorting: SortingState;
  /** Opaque cursor of the current page; null = first page. */
  cursor: string | null;
  pageSize: number;
  q: string;
  hidden: string[];
}

export interface TableUrlOptions {
  /** Column ids the server can sort by; anything else in the URL is dropped. */
  sortableColumns?: readonly string[];
  defaultSorting?: SortingState;
  /** Page sizes offered; a size outside the list falls back to the first entry. */
  pageSizes?: readonly number[];
}

export const DEFAULT_PAGE_SIZES = [25, 50, 100] as const;

/** What Next passes as `searchParams` to pages, or a real URLSearchParams. */
export type SearchParamsInput = URLSearchParams | Record<string, string | string[] | undefined>;

const KEYS = {
  sort: "sort",
  cursor: "cursor",
  size: "size",
  q: "q",
  hide: "hide",
  filter: "filter",
} as const;

function read(params: SearchParamsInput, key: string): string | null {
  if (params instanceof URLSearchParams) return params.get(key);
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function splitList(raw: string | null): string[] {
  return (raw ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `-createdAt,name` → [{id:"createdAt",desc:true},{id:"name",desc:false}]; unknown or repeated ids are dropped. */
export function parseSort(raw: string | null, sortableColumns?: readonly string[]): SortingState {
  const seen = new Set<string>();
  const sorting: SortingState = [];
  for (const token of splitList(raw)) {
    const desc = token.startsWith("-");
    const id = desc ? token.slice(1) : token;
    if (!id || seen.has(id) || (sortableColumns && !sortableColumns.includes(id))) continue;
    seen.add(id);
    sorting.push({ id, desc });
  }
  return sorting;
}

export function formatSort(sorting: SortingState): string {
  return sorting.map(({ id, desc }) => (desc ? `-${id}` : id)).join(",");
}

/** Reads table state from search params, replacing anything malformed with defaults (never throws). */
export function parseTableSearchParams(
  params: SearchParamsInput,
  options: TableUrlOptions = {},
): TableUrlState {
  const pageSizes = options.pageSizes ?? DEFAULT_PAGE_SIZES;
  const defaultSize = pageSizes[0] ?? 25;
  const size = Number(read(params, KEYS.size));
  const sorting = parseSort(read(params, KEYS.sort), options.sortableColumns);
  return {
    sorting: sorting.length > 0 ? sorting : (options.defaultSorting ?? []),
    cursor: read(params, KEYS.cursor) || null,
    pageSize: pageSizes.includes(size) ? size : defaultSize,
    q: (read(params, KEYS.q) ?? "").trim(),
    hidden: [...new Set(splitList(read(params, KEYS.hide)))],
  };
}

function sameSorting(a: SortingState, b: SortingState): boolean {
  return formatSort(a) === formatSort(b);
}

/**
 * Applies a change to the current search params and returns new ones. Values equal to the defaults are
 * removed to keep URLs short. Changing sort, search, page size or filter drops the cursor, because a
 * cursor only means something for the query that produced it. Unrelated params are kept.
 */
export function updateTableSearchParams(
  current: URLSearchParams,
  patch: Partial<TableUrlState> & { filter?: string | null },
  options: TableUrlOptions = {},
): URLSearchParams {
  const next = new URLSearchParams(current);
  const before = parseTableSearchParams(current, options);
  const defaultSize = (options.pageSizes ?? DEFAULT_PAGE_SIZES)[0] ?? 25;
  let queryChanged = false;

  const set = (key: string, value: string | null) => {
    if (value) next.set(key, value);
    else next.delete(key);
  };

  if (patch.sorting !== undefined) {
    queryChanged ||= !sameSorting(patch.sorting, before.sorting);
    const isDefault = sameSorting(patch.sorting, options.defaultSorting ?? []);
    set(KEYS.sort, isDefault ? null : formatSort(patch.sorting));
  }
  if (patch.q !== undefined) {
    const q = patch.q.trim();
    queryChanged ||= q !== before.q;
    set(KEYS.q, q || null);
  }
  if (patch.pageSize !== undefined) {
    queryChanged ||= patch.pageSize !== before.pageSize;
    set(KEYS.size, patch.pageSize === defaultSize ? null : String(patch.pageSize));
  }
  if (patch.filter !== undefined) {
    queryChanged ||= (patch.filter ?? null) !== read(current, KEYS.filter);
    set(KEYS.filter, patch.filter);
  }
  if (patch.hidden !== undefined) {
    set(KEYS.hide, [...new Set(patch.hidden)].join(",") || null);
  }
  if (patch.cursor !== undefined) set(KEYS.cursor, patch.cursor);
  else if (queryChanged) next.delete(KEYS.cursor);

  return next;
}

/** Anything with zod's `safeParse` shape; keeps this module free of a zod import. */
export interface SafeParser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(encoded: string): string {
  const base64 = encoded.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}

/**
 * Encodes a structured filter (e.g. the audience `FilterTree`) as one URL-safe token. JSON in
 * base64url rather than nested params, so any tree shape round-trips without a custom grammar.
 */
export function encodeFilterParam(filter: unknown): string {
  return toBase64Url(JSON.stringify(filter));
}

/**
 * Decodes and validates a filter token with the caller's schema. Returns null for a missing, corrupt or
 * invalid token, so a hand-edited URL degrades to "no filter" instead of an error page.
 */
export function decodeFilterParam<T>(raw: string | null | undefined, schema: SafeParser<T>): T | null {
  if (!raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(fromBase64Url(raw));
  } catch {
    return null;
  }
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

/** Reads and validates the `filter` param; see decodeFilterParam. */
export function readFilterParam<T>(params: SearchParamsInput, schema: SafeParser<T>): T | null {
  return decodeFilterParam(read(params, KEYS.filter), schema);
}
