import type { FieldIssue } from "@/lib/errors";

/** What dashboard server actions answer: the data, or the same problem shape the API sends. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      problem: { title: string; status: number; detail: string; code: string; errors: FieldIssue[] };
    };
