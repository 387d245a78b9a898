import { type ActionResult } from "@/lib/auth/action-result";

/*
 * react-query keys and fetch policy for the analytics dashboard. Client-safe: the fetchers (server actions)
 * are passed in, so this module never imports server code.
 */

export const analyticsKeys = {
  all: ["analytics"] as const,
  summary: (filters: object) => ["analytics", "summary", filters] as const,
  timeseries: (query: object) => ["analytics", "timeseries", query] as const,
  breakdown: (query: object) => ["analytics", "breakdown", query] as const,
};

/** Rollups refresh about once a second server-side; 15 s keeps the page calm while staying current. */
export const ANALYTICS_STALE_MS = 15_000;

/** Turns an action result into data or a thrown Error carrying the problem's detail (for react-query). */
export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.problem.errors[0]?.message ?? r.problem.detail);
  return r.data;
}

export function analyticsQueryOptions<T, Q extends object>(
  key: readonly unknown[],
  fetcher: (query: Q) => Promise<ActionResult<T>>,
  query: Q,
) {
  return {
    queryKey: key,
    queryFn: () => unwrap(fetcher(query)),
    staleTime: ANALYTICS_STALE_MS,
  };
}
