import { z } from "zod";

import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from "@/lib/db/cursor";

/** Ids are UUIDs for new rows; the looser pattern admits ids imported from the original service. */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "Must be 1–64 letters, digits, '-' or '_'.")
  .describe("Resource id");

/** Trimmed, non-empty, bounded text. */
export function text(max: number) {
  return z.string().trim().min(1, "Must not be empty.").max(max, `Must be at most ${max} characters.`);
}

/** Query string paging: `limit` 1–200 (default 50) and an opaque `cursor` from the previous page. */
export const PageQuery = z
  .object({
    limit: z.coerce
      .number()
      .int("Must be an integer.")
      .min(1)
      .max(MAX_PAGE_LIMIT)
      .default(DEFAULT_PAGE_LIMIT)
      .describe(`Page size, 1–${MAX_PAGE_LIMIT}`),
    cursor: z
      .string()
      .max(2048)
      .regex(/^[A-Za-z0-9_-]+$/, "Must be a cursor returned by a previous page.")
      .optional()
      .describe("Opaque cursor from nextCursor"),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuery>;

/** Path parameter holding one id. */
export const IdParams = z.object({ id: Id }).strict();
export type IdParams = z.infer<typeof IdParams>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
